using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>The real process keeps its state across graceful stops and SIGKILL, and `data verify` checks it.</summary>
public class DurabilityTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task State_survives_a_graceful_restart_and_a_kill_and_the_data_verifies()
    {
        await using var server = await DealwireProcess.StartAsync();
        var first = await server.GetHealthAsync();
        Assert.Equal(2, first.GetProperty("accounts").GetInt32());
        await WaitForSequenceAbove(server, first.GetProperty("sequence").GetInt64() + 20);

        // Graceful stop writes a shutdown snapshot; the restart recovers from it, not from the default.
        var beforeStop = (await server.GetHealthAsync()).GetProperty("sequence").GetInt64();
        Assert.Equal(0, await server.StopAsync());
        Assert.Contains("Snapshot at sequence", server.CapturedOutput);
        await server.RestartAsync();
        var restarted = await server.GetHealthAsync();
        Assert.Equal(2, restarted.GetProperty("accounts").GetInt32());
        Assert.True(restarted.GetProperty("sequence").GetInt64() >= beforeStop, restarted.ToString());

        // SIGKILL: whatever was journaled comes back.
        await WaitForSequenceAbove(server, restarted.GetProperty("sequence").GetInt64() + 20);
        await server.KillAsync();
        var verify = await DealwireCli.RunAsync("data", "verify", "--data-dir", server.DataDir);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("status         : healthy", verify.StandardOutput);
        var journaled = long.Parse(Between(verify.StandardOutput, "sequences ", "\n").Split("..")[1], System.Globalization.CultureInfo.InvariantCulture);

        await server.RestartAsync();
        var recovered = await server.GetHealthAsync();
        Assert.True(recovered.GetProperty("sequence").GetInt64() >= journaled, $"recovered {recovered} but the journal held {journaled}");
        Assert.Equal(2, recovered.GetProperty("accounts").GetInt32());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_corrupted_journal_stops_the_start_with_the_file_and_offset()
    {
        await using var server = await DealwireProcess.StartAsync();
        await WaitForSequenceAbove(server, 60);
        await server.StopAsync();
        // Damage the middle of the journal (not its tail): recovery must refuse, naming the place.
        var segment = Directory.GetFiles(Path.Combine(server.DataDir, "journal"), "*.wal").Order().First();
        foreach (var snapshot in Directory.GetFiles(Path.Combine(server.DataDir, "snapshots"))) File.Delete(snapshot);
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        var ports = FreePorts.Take(3).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var serve = await DealwireCli.RunAsync("serve", "--data-dir", server.DataDir, "--http-port", ports[0], "--server-api-port", ports[1], "--manager-api-port", ports[2]);
        Assert.NotEqual(0, serve.ExitCode);
        Assert.Contains(Path.GetFileName(segment), serve.StandardError);
        Assert.Contains("offset", serve.StandardError);
        var verify = await DealwireCli.RunAsync("data", "verify", "--data-dir", server.DataDir);
        Assert.Equal(1, verify.ExitCode);
    }

    private static async Task WaitForSequenceAbove(DealwireProcess server, long sequence)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await server.GetHealthAsync()).GetProperty("sequence").GetInt64() > sequence) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"sequence did not pass {sequence}");
    }

    private static string Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var j = text.IndexOf(end, i, StringComparison.Ordinal);
        return text[i..j];
    }
}
