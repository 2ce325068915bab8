using Dealwire.Client.Protocol;

namespace Dealwire.Client.Tests;

/// <summary>Small pieces: backoff, endpoint parsing, extIDs, options validation, deduplication.</summary>
public sealed class UnitTests
{
    [Fact]
    public void Backoff_stays_within_floor_and_growing_ceiling_and_is_capped()
    {
        var policy = new ReconnectPolicy { MinDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), Multiplier = 2 };
        var random = new Random(7);
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            // Ceiling for attempt n: min(1000, 100 × 2^n) ms.
            var ceiling = Math.Min(1000, 100 * Math.Pow(2, attempt));
            for (var i = 0; i < 200; i++)
            {
                var delay = Backoff.Delay(policy, attempt, random).TotalMilliseconds;
                Assert.InRange(delay, 100, ceiling);
            }
        }
        Assert.InRange(Backoff.Delay(policy, 5000, random).TotalMilliseconds, 100, 1000);
    }

    [Fact]
    public void Backoff_jitter_spreads_many_clients_over_the_window()
    {
        var policy = new ReconnectPolicy { MinDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(30) };
        var random = new Random(1);
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(policy, 3, random).TotalMilliseconds).ToArray();
        // Attempt 3 spans [100, 800] ms; 200 uniform draws fill every 100 ms bucket.
        var buckets = delays.GroupBy(d => (int)((d - 100) / 100)).Count();
        Assert.Equal(7, buckets);
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("example.host", "example.host", 8080)]
    [InlineData("[::1]:9000", "::1", 9000)]
    [InlineData(" broker.local:1 ", "broker.local", 1)]
    public void Endpoints_parse(string text, string host, int port) => Assert.Equal(new EndpointAddress(host, port), EndpointAddress.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData(":8080")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:http")]
    [InlineData("[::1")]
    [InlineData("[::1]8080")]
    public void Bad_endpoints_are_rejected(string text) => Assert.Throws<ArgumentException>(() => EndpointAddress.Parse(text));

    [Fact]
    public void ExtIds_are_twelve_hex_characters_and_unique()
    {
        var ids = new ExtIdGenerator(new Random(3));
        var seen = Enumerable.Range(0, 100_000).Select(_ => ids.Next()).ToList();
        Assert.All(seen.Take(100), id => Assert.Matches("^[0-9a-f]{12}$", id));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Invalid_options_are_rejected_before_connecting()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ServerApiClient.ConnectAsync(new ServerApiClientOptions()));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServerApiClient.ConnectAsync(new ServerApiClientOptions { Token = "t", RequestTimeout = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServerApiClient.ConnectAsync(new ServerApiClientOptions { Token = "t", PendingQueueCapacity = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServerApiClient.ConnectAsync(new ServerApiClientOptions
        {
            Token = "t",
            Reconnect = new ReconnectPolicy { MinDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) },
        }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServerApiClient.ConnectAsync(new ServerApiClientOptions { Token = "t", Reconnect = new ReconnectPolicy { MaxAttempts = 0 } }));
    }

    [Fact]
    public void The_deduplicator_forgets_the_oldest_token_beyond_its_capacity()
    {
        var dedup = new NotificationDeduplicator(2);
        Assert.True(dedup.FirstSeen("a"));
        Assert.True(dedup.FirstSeen("b"));
        Assert.False(dedup.FirstSeen("a"));
        Assert.True(dedup.FirstSeen("c"));
        Assert.True(dedup.FirstSeen("a"));
        Assert.True(dedup.FirstSeen(""));
        Assert.True(dedup.FirstSeen(""));
    }
}
