namespace Dealwire.Host.Tests.Observability;

/// <summary>The dashboard JSON loads the way Grafana reads it: panels placed, targets on the chosen data source, variables defined.</summary>
public sealed class GrafanaDashboardTests
{
    private readonly GrafanaDashboard _dashboard = GrafanaDashboard.Load();

    [Fact]
    public void Every_panel_has_a_unique_id_and_a_place_on_the_grid()
    {
        var ids = _dashboard.Panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        foreach (var panel in _dashboard.Panels)
        {
            var grid = panel.GetProperty("gridPos");
            Assert.InRange(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32(), 1, 24);
            Assert.InRange(grid.GetProperty("h").GetInt32(), 1, 40);
        }
    }

    [Fact]
    public void Every_target_queries_the_data_source_variable_and_filters_by_instance()
    {
        var variables = _dashboard.Root.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "datasource", "instance" }, variables);
        foreach (var panel in _dashboard.Panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
        }
        Assert.All(_dashboard.Expressions, e => Assert.Contains("instance=~\"$instance\"", e, StringComparison.Ordinal));
    }

    [Fact]
    public void The_dashboard_shows_every_instrument_of_the_catalogue()
    {
        var shown = _dashboard.MetricNames.Select(MetricsScrapeTests.Family).ToHashSet();
        // The state and the symbol count are read on /health; the catalogue has them for parity with the old /metrics.
        var missing = MetricsScrapeTests.CatalogueNames.Except(shown).Except(["dealwire_engine_symbols", "dealwire_engine_state"]);
        Assert.Empty(missing);
    }
}
