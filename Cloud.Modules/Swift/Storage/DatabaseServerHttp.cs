using System.Text;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Db;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Swift.Storage;

/// <summary>The account, container and replication servers' HTTP helpers: swift's error pages, required timestamps, existing databases.</summary>
internal static class DatabaseServerHttp
{
    /// <summary>Writes an error the way swift does (<see cref="SwiftErrorPage"/>; no body for HEAD).</summary>
    public static Task WriteError(HttpContext context, int status, string message) => SwiftErrorPage.WriteAsync(context, status, message);

    /// <summary>The normalised timestamp header; 400 when missing or malformed.</summary>
    public static string RequiredTimestamp(HttpRequest request, string header) =>
        ContainerTimestamp.Normalize(request.Headers[header].ToString())
        ?? throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Missing or invalid {header} header");

    /// <summary>The database at <paramref name="file"/>; 404 when there is none.</summary>
    public static SqliteConnection OpenExisting(string file) =>
        SwiftDatabase.Open(file, create: false) ?? throw NotFound();

    public static ContainerHttpException NotFound() => new(StatusCodes.Status404NotFound, "Not Found");
}
