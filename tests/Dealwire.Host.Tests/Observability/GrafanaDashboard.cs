using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dealwire.Host.Tests.Observability;

/// <summary>The Grafana dashboard shipped in <c>docs/grafana/dealwire-dashboard.json</c>, read as Grafana would.</summary>
internal sealed partial class GrafanaDashboard
{
    private GrafanaDashboard(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static GrafanaDashboard Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dealwire.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        var path = Path.Combine(directory.FullName, "docs", "grafana", "dealwire-dashboard.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new GrafanaDashboard(document.RootElement.Clone());
    }

    public IEnumerable<JsonElement> Panels => Root.GetProperty("panels").EnumerateArray();

    /// <summary>Every PromQL expression of every panel target.</summary>
    public IEnumerable<string> Expressions => Panels
        .Where(p => p.TryGetProperty("targets", out _))
        .SelectMany(p => p.GetProperty("targets").EnumerateArray())
        .Select(t => t.GetProperty("expr").GetString()!);

    /// <summary>The series names the expressions select (for a histogram, <c>_bucket</c>, <c>_sum</c> or <c>_count</c>).</summary>
    public IReadOnlySet<string> MetricNames => Expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet();

    [GeneratedRegex(@"\bdealwire_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
