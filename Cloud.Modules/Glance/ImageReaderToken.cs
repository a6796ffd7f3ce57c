using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Glance;

/// <summary>
/// The token compute and volume hosts read glance with: the image reader service user's (<see cref="ImageReaderFlags"/>), from Keystone's
/// password method, scoped to its project. It is kept until a minute before it expires, or until glance refuses it, so
/// a host asks Keystone about once per token lifetime. The host holds no signing key, and this token can do nothing
/// but read images on behalf of an instance's owner.
/// </summary>
public sealed class ImageReaderToken(HttpClient http, IOptions<ImageReaderFlags> flags, TimeProvider clock)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _issue = new(1, 1);
    private volatile Issued? _current;

    /// <summary>A token valid for at least another minute, asking Keystone only when the kept one is too old.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } kept)
        {
            return kept;
        }
        await _issue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_current) is { } other)
            {
                return other;
            }
            var issued = await IssueAsync(cancellationToken).ConfigureAwait(false);
            _current = issued;
            return issued.Token;
        }
        finally
        {
            _issue.Release();
        }
    }

    /// <summary>Drops <paramref name="token"/> after glance refused it (revoked, or the reader's password changed).</summary>
    public void Forget(string token)
    {
        if (_current is { } kept && kept.Token == token)
        {
            _current = null;
        }
    }

    private string? Fresh(Issued? issued) => issued is not null && issued.ExpiresAt - RenewBefore > clock.GetUtcNow() ? issued.Token : null;

    private async Task<Issued> IssueAsync(CancellationToken cancellationToken)
    {
        var f = flags.Value;
        var domain = new { id = "default" };
        var body = new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = f.User, domain, password = f.Password } } },
                scope = new { project = new { name = f.Project, domain } },
            },
        };
        using var response = await http.PostAsJsonAsync(new Uri($"{f.AuthUrl.TrimEnd('/')}/auth/tokens?nocatalog"), body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Never the password: this message reaches the instance's fault and the log.
            throw new InvalidOperationException(
                $"image reader {f.User}: Keystone at {f.AuthUrl} gave no token for project {f.Project} ({(int)response.StatusCode}); check --image_reader_user, --image_reader_password and its image_reader role");
        }
        var token = response.Headers.GetValues("X-Subject-Token").Single();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        var expires = DateTimeOffset.Parse(json.GetProperty("token").GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new Issued(token, expires);
    }

    private sealed record Issued(string Token, DateTimeOffset ExpiresAt);
}
