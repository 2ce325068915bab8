using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.ReadModel.Tests.Stream;

/// <summary>
/// <c>Stream:RetainSequences</c> unset takes the host's default (a tail only on a replica that serves gateway nodes);
/// set, it wins. Seen from outside: whether a subscriber from a sequence every consumer has read still joins.
/// </summary>
public sealed class RetainedTailDefaultTests
{
    [Theory]
    [InlineData(null, 0L, false)]
    [InlineData(null, 4096L, true)]
    [InlineData("4096", 0L, true)]
    [InlineData("0", 4096L, false)]
    public async Task A_late_subscriber_joins_from_a_read_sequence_only_inside_the_tail(string? configured, long hostDefault, bool joins)
    {
        var settings = new Dictionary<string, string?>();
        if (configured is not null) settings["Stream:RetainSequences"] = configured;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddReadModel(_ => 0, configuration, hostDefault).BuildServiceProvider();
        var stream = services.GetRequiredService<CommittedStream>();

        var reader = new RecordingConsumer();
        using var r = stream.Subscribe("live-view", 0, reader);
        Batches.Publish(stream, 0, 10);
        await reader.WaitForAsync(10);
        // Let go happens when a consumer asks for its next batch: once more, now that it has read everything.
        Batches.Publish(stream, 10, 1);
        await reader.WaitForAsync(11);

        if (joins)
        {
            var late = new RecordingConsumer();
            using var l = stream.Subscribe("gateway", 5, late);
            await late.WaitForAsync(11);
            late.AssertContiguous(5, 11);
        }
        else
        {
            Assert.Throws<StreamGapException>(() => stream.Subscribe("gateway", 5, new RecordingConsumer()));
        }
    }
}
