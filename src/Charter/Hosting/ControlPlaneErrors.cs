// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Charter.Hosting;

/// <summary>
/// Bodies for the control plane's refusals that ASP.NET Core sends without one: a body that does not bind (malformed
/// JSON, a wrong type: thrown as <see cref="BadHttpRequestException"/> since <c>RouteHandlerOptions.ThrowOnBadRequest</c>
/// is on), an unknown path, a wrong method, a bare <c>NotFound()</c>. They get an RFC 9457 problem body, the shape of the
/// admin API's other refusals, saying what was wrong.
/// </summary>
internal static class ControlPlaneErrors
{
    /// <summary>True when the response is an error whose handler wrote nothing.</summary>
    public static bool IsBodilessError(HttpResponse response) =>
        response is { StatusCode: >= 400, HasStarted: false, ContentLength: null } && string.IsNullOrEmpty(response.ContentType);

    /// <summary>The message of a binding failure, with the JSON reader's reason (its path and position, never a value).</summary>
    public static string Describe(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is JsonException json ? exception.Message + " " + json.Message : exception.Message;
    }

    /// <summary>Writes a problem body with <paramref name="status"/> and <paramref name="detail"/> (or the status's own text).</summary>
    public static Task WriteAsync(HttpContext context, int status, string? detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        detail ??= status switch
        {
            StatusCodes.Status404NotFound => $"Nothing at {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not supported on {request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON (Content-Type: application/json).",
            _ => null,
        };
        return Results.Problem(detail, statusCode: status).ExecuteAsync(context);
    }
}
