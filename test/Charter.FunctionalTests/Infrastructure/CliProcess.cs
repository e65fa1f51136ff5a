// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>Runs <c>charter</c> (the CLI's DLL beside the tests) as its own process, as a user would beside a running gateway.</summary>
internal static class CliProcess
{
    /// <summary>Runs the CLI with <paramref name="args"/> and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Charter.Cli.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        return (p.ExitCode, await stdout, await stderr);
    }
}
