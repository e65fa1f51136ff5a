// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Tests.Common;

/// <summary>Files of the repository, and of <c>../shared</c> beside it, found by walking up from the test binaries.</summary>
public static class RepoPaths
{
    /// <summary>The repository's root: the nearest folder above the test binaries that holds <c>Charter.slnx</c>.</summary>
    public static string Root => FindUpwards("Charter.slnx") is { } solution
        ? Path.GetDirectoryName(solution)!
        : throw new DirectoryNotFoundException("Charter.slnx not found above " + AppContext.BaseDirectory);

    /// <summary>The first existing file <paramref name="relative"/> below a folder above the test binaries, or null.</summary>
    public static string? FindUpwards(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
