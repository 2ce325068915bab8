using System.Net;
using System.Text.RegularExpressions;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary><c>dealwire serve</c> on a fresh data directory, observed from outside the process.</summary>
public partial class ServeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private DealwireProcess Server => fixture.Server;

    [Fact]
    public async Task Health_reports_the_running_engine_with_the_embedded_default_and_a_growing_tick_count()
    {
        var first = await Server.GetHealthAsync();
        Assert.Equal("ok", first.GetProperty("status").GetString());
        Assert.Equal("Running", first.GetProperty("engine").GetString());
        Assert.Equal(6, first.GetProperty("symbols").GetInt32());
        Assert.Equal(2, first.GetProperty("accounts").GetInt32());
        Assert.Equal("Synthetic", first.GetProperty("feed").GetProperty("kind").GetString());

        // 6 symbols x 20 ticks/s: the count must move within a few seconds.
        var ticks = first.GetProperty("ticksProcessed").GetInt64();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long later;
        do
        {
            await Task.Delay(200);
            later = (await Server.GetHealthAsync()).GetProperty("ticksProcessed").GetInt64();
        }
        while (later <= ticks && DateTime.UtcNow < deadline);
        Assert.True(later > ticks, $"ticksProcessed stayed at {ticks}.\n{Server.CapturedOutput}");
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_engine_and_feed_counters()
    {
        using var response = await Server.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        // Each sample carries the exporter's otel_scope_name label (the component's meter); names and other labels are those of the hand-written text this replaced.
        var metrics = PrometheusText.Parse(text); // throws on a line that is neither a sample nor a comment
        Assert.Equal(1, metrics.Value("dealwire_engine_up"));
        Assert.Equal(1, metrics.Value("dealwire_engine_state", ("state", "Running")));
        Assert.Equal(6, metrics.Value("dealwire_engine_symbols"));
        Assert.InRange(metrics.Value("dealwire_engine_ticks_processed_total"), 0, double.MaxValue);
        Assert.Equal("counter", metrics.Types["dealwire_engine_ticks_processed_total"]);
        Assert.InRange(metrics.Value("dealwire_engine_ticks_dropped_total"), 0, double.MaxValue);
        Assert.InRange(metrics.Value("dealwire_quote_filter_rejected_total", ("reason", "spike")), 0, double.MaxValue);
        Assert.InRange(metrics.Value("dealwire_feed_ticks_offered_total"), 1, double.MaxValue);
    }

    [Fact]
    public async Task The_first_start_prints_a_demo_admin_token_once_and_saves_it()
    {
        await Server.WaitForOutputAsync("DEMO ADMIN TOKEN", TimeSpan.FromSeconds(5));
        Assert.Contains(Server.AdminToken, Server.StandardOutput);
        Assert.Single(Regex.Matches(Server.StandardOutput, "DEMO ADMIN TOKEN"));

        var tokens = new TokenService(TokenService.LoadOrCreateKey(Server.DataDir));
        var validation = await tokens.ValidateAsync(Server.AdminToken);
        Assert.True(validation.IsValid, validation.Message);
        Assert.Equal(SessionType.Admin, validation.Identity!.Type);
        Assert.Equal("*", validation.Identity.GroupMask);
        // Default lifetime: 30 days.
        Assert.InRange(validation.Identity.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task Tokens_issued_by_the_fixture_carry_what_was_asked()
    {
        var token = Server.IssueToken(SessionType.Manager, 7, "demo*");
        var identity = (await new TokenService(TokenService.LoadOrCreateKey(Server.DataDir)).ValidateAsync(token)).Identity!;
        Assert.Equal((SessionType.Manager, 7L, "demo*"), (identity.Type, identity.Id, identity.GroupMask));
        Assert.True(identity.HasRight(Rights.SetBalance));
    }

    [Fact]
    public async Task Unknown_http_paths_answer_404()
    {
        using var response = await Server.GetAsync("nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
