using System.Text.Json;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Glance.Tasks;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Glance.Import;

/// <summary>
/// Interoperable image import (glance's image import API): <c>glance-direct</c> stages the data in the staging area
/// (queued → uploading; the staged file is the image's location meanwhile), then an <c>api_image_import</c> task
/// moves it into the store (uploading → importing → active, hashed as an upload is). <c>copy-image</c> copies an
/// active image into other stores; this node has one store (its default), so it answers as glance does for an image
/// already in every store. A task a stopped process left unfinished fails at the next start and its image goes back
/// to queued, so the owner can stage again.
/// </summary>
public sealed partial class ImageImporter(
    ImageRegistry registry, TaskRegistry tasks, ImageStoreSet stores, GlanceQuotas quotas, IOptions<GlanceFlags> flags,
    IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<ImageImporter> log) : IHostedService
{
    public const string TaskType = "api_image_import";

    private readonly FileImageStore _staging = new(Path.Combine(flags.Value.FilesystemStoreDatadir, "staging"));

    /// <summary>The store identifiers this node offers (<c>/v2/info/stores</c>): the default store.</summary>
    public string DefaultStoreId => stores.Default.Scheme;

    /// <summary>Import methods this node takes (<c>--enabled_import_methods</c>).</summary>
    public IReadOnlyList<string> EnabledMethods => flags.Value.ImportMethods();

    /// <summary><c>PUT /v2/images/{id}/stage</c>: the data goes to the staging area, the image becomes uploading.</summary>
    public async Task StageAsync(RequestContext context, string id, Stream data, long? declaredSize, CancellationToken cancellationToken)
    {
        CheckEnabled(ImportRequest.GlanceDirect, "'glance-direct' method is not available at this site.");
        var cap = flags.Value.ImageSizeCap;
        var image = await registry.MoveForImportAsync(context, id, ImageStatus.Uploading, mayCopy: false, cancellationToken).ConfigureAwait(false);
        try
        {
            var remaining = image.Owner is null ? long.MaxValue : await quotas.RemainingBytesAsync(image.Owner, id, cancellationToken).ConfigureAwait(false);
            if (declaredSize > Math.Min(cap, remaining))
            {
                throw declaredSize > remaining ? GlanceQuotas.StorageQuotaFull(declaredSize.Value, remaining)
                    : CloudException.TooLarge($"Image of {declaredSize} bytes exceeds the storage size limit of {cap} bytes.");
            }
            await using var counted = new HashingUploadStream(data, declaredSize, Math.Min(cap, remaining));
            var staged = await _staging.AddAsync(id, counted, cancellationToken).ConfigureAwait(false);
            if (!await registry.SetStagedAsync(id, staged.Location, staged.Size, CancellationToken.None).ConfigureAwait(false))
            {
                await _staging.DeleteAsync(staged.Location, CancellationToken.None).ConfigureAwait(false);
                throw CloudException.Conflict($"Image {id} was deleted or changed while its data was staged.");
            }
        }
        catch (Exception e) when (e is not CloudException { Kind: CloudErrorKind.Conflict })
        {
            LogStageFailed(e, id);
            await registry.UnstageAsync(id, ImageStatus.Uploading, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary><c>POST /v2/images/{id}/import</c>: checks as glance does, then runs the import task in the background.</summary>
    public async Task ImportAsync(RequestContext context, string id, ImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var image = await registry.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        if (image.Status == ImageStatus.Active && request.Method != ImportRequest.CopyImage)
        {
            throw CloudException.Conflict("Image with status active cannot be target for import");
        }
        if (request.Method == ImportRequest.CopyImage)
        {
            CopyImage(context, image, request);
            return;
        }
        if (image.Status != ImageStatus.Uploading)
        {
            throw CloudException.Conflict("Image needs to be staged before 'glance-direct' method can be used");
        }
        var store = Stores(request)[0];
        image = await registry.MoveForImportAsync(context, id, ImageStatus.Importing, mayCopy: false, cancellationToken).ConfigureAwait(false);
        await registry.SetImportProgressAsync(id, store, "", cancellationToken).ConfigureAwait(false);
        var input = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["image_id"] = id, ["import_req"] = JsonDocument.Parse(request.Json).RootElement, ["backend"] = new[] { store },
        });
        var task = await tasks.CreateAsync(context, TaskType, input, id, cancellationToken).ConfigureAwait(false);
        _ = Task.Run(() => RunAsync(task, image, store, lifetime.ApplicationStopping), CancellationToken.None);
    }

    /// <summary>Fails what a previous process left running (its data may be half copied); the images may be staged again.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FailInterruptedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or Kernel.Db.DatabaseUnavailableException)
        {
            // Not worth holding the role's start: the tasks stay unfinished until the next start finds them.
            LogReconcileFailed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task FailInterruptedAsync(CancellationToken cancellationToken)
    {
        foreach (var task in await tasks.UnfinishedAsync(clock.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false))
        {
            await tasks.FinishAsync(task.Id, GlanceTask.Failure, null, "The import was interrupted by a restart of the image service; stage the data again.", cancellationToken)
                .ConfigureAwait(false);
            if (task.ImageId is { } imageId)
            {
                await registry.UnstageAsync(imageId, ImageStatus.Importing, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void CopyImage(RequestContext context, Image image, ImportRequest request)
    {
        if (!context.IsAdmin)
        {
            throw CloudException.Forbidden("You are not authorized to complete copy_image action.");
        }
        if (image.Status != ImageStatus.Active)
        {
            throw CloudException.Conflict("Only images with status active can be targeted for copying");
        }
        var wanted = Stores(request);
        // Every image of this node is in its one store: copying has nothing to do, or copies onto itself.
        if (!request.AllStores && wanted.Contains(DefaultStoreId))
        {
            throw CloudException.Invalid($"Image is already present at store '{DefaultStoreId}'");
        }
    }

    private List<string> Stores(ImportRequest request)
    {
        var wanted = request.AllStores || request.Stores is null || request.Stores.Count == 0 ? [DefaultStoreId] : request.Stores.ToList();
        if (wanted.FirstOrDefault(s => s != DefaultStoreId) is { } unknown)
        {
            throw CloudException.Conflict($"Unknown scheme '{unknown}' found in URI");
        }
        return wanted;
    }

    private async Task RunAsync(GlanceTask task, Image image, string store, CancellationToken cancellationToken)
    {
        var staged = image.Location;
        try
        {
            await tasks.StartAsync(task.Id, cancellationToken).ConfigureAwait(false);
            if (staged is null)
            {
                throw CloudException.Conflict($"Image {image.Id} has no staged data.");
            }
            StoredImage stored;
            string md5, sha512;
            var source = await _staging.OpenAsync(staged, 0, null, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await using var hashing = new HashingUploadStream(source, image.Size, flags.Value.ImageSizeCap);
                stored = await stores.Default.AddAsync(image.Id, hashing, cancellationToken).ConfigureAwait(false);
                (md5, sha512) = (hashing.Md5Hex, hashing.Sha512Hex);
            }
            if (!await registry.FinishUploadAsync(image.Id, stored.Location, stored.Size, md5, sha512, CancellationToken.None).ConfigureAwait(false))
            {
                await stores.Default.DeleteAsync(stored.Location, CancellationToken.None).ConfigureAwait(false);
                throw CloudException.Conflict($"Image {image.Id} was deleted while it was imported.");
            }
            await registry.SetImportProgressAsync(image.Id, "", "", CancellationToken.None).ConfigureAwait(false);
            await _staging.DeleteAsync(staged, CancellationToken.None).ConfigureAwait(false);
            await tasks.FinishAsync(task.Id, GlanceTask.Success, JsonSerializer.Serialize(new { image_id = image.Id }),
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Copied {stored.Size / (1024 * 1024)} MiB"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogImportFailed(e, image.Id, task.Id);
            await tasks.FinishAsync(task.Id, GlanceTask.Failure, null, e.Message, CancellationToken.None).ConfigureAwait(false);
            await registry.SetImportProgressAsync(image.Id, "", store, CancellationToken.None).ConfigureAwait(false);
            await registry.UnstageAsync(image.Id, ImageStatus.Importing, CancellationToken.None).ConfigureAwait(false);
            if (staged is not null)
            {
                await _staging.DeleteAsync(staged, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void CheckEnabled(string method, string message)
    {
        if (!EnabledMethods.Contains(method))
        {
            throw CloudException.NotFound(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fail the import tasks a previous run left unfinished")]
    private partial void LogReconcileFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staging data of image {Id} failed; image back to queued")]
    private partial void LogStageFailed(Exception error, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import of image {Id} (task {TaskId}) failed; image back to queued")]
    private partial void LogImportFailed(Exception error, string id, string taskId);
}
