using System.Diagnostics;
using System.Text;

namespace Dealwire.Testing;

/// <summary>What a finished <c>dealwire</c> command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Runs one-shot <c>dealwire</c> commands (<c>token issue</c>, <c>key issue</c>, ...) as a real process.</summary>
public static class DealwireCli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null, null);

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string? workingDirectory,
        TimeSpan? timeout = null)
    {
        var start = DealwireProcess.CreateStartInfo(args, environment, workingDirectory ?? Path.GetTempPath());
        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // An upper bound only: a run that starts the server (a busy port) took 65 s on a CI-like machine at load 50.
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dealwire {string.Join(' ', args)} did not finish in time.\n{stdout}\n{stderr}");
        }
        // The parameterless wait drains the redirected streams to their end.
        process.WaitForExit();
        lock (stdout) lock (stderr) return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
