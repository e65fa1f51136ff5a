// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Charter.Admin;

/// <summary>
/// The admin dashboard at <c>/ui/</c>: three static files embedded in the assembly (no files to deploy), a client of the
/// admin and audit APIs with the key the user signs in with. The files hold no data and need no key; everything they show
/// is fetched from the APIs, which check the key and its role.
/// </summary>
public static class AdminUi
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/ui/";

    // Only this origin's own script and style, fetches to this origin, no framing, no inline code, no forms posted elsewhere.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType)> s_files = Load();

    /// <summary>Maps <c>/ui/</c>, its two assets, and redirects <c>/ui</c> and <c>/</c> to it.</summary>
    public static IEndpointRouteBuilder MapAdminUi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect(Path)).ExcludeFromDescription();
        // "/ui" and "/ui/" match the same route; the page's relative asset URLs need the slash.
        app.MapGet("/ui/{file?}", (HttpContext http, string? file) =>
            file is null && !http.Request.Path.Value!.EndsWith('/') ? Results.Redirect(Path) : Serve(http, file ?? "index.html")).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (!s_files.TryGetValue(file, out var entry))
        {
            return Results.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-cache";
        return Results.Bytes(entry.Body, entry.ContentType);
    }

    private static FrozenDictionary<string, (byte[] Body, string ContentType)> Load()
    {
        var assembly = typeof(AdminUi).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("index.html", "text/html; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("Charter.Admin.Ui." + name)
                ?? throw new InvalidOperationException($"The dashboard file {name} is not embedded in {assembly.GetName().Name}.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = (copy.ToArray(), type);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
