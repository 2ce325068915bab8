using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dealwire.LoadTest.Measurement;

/// <summary>One measured run of one target (Dealwire or a baseline) at one setting.</summary>
public sealed record RunRecord(string Scenario, string Target, string Setting, int Repetition, double LoadAverage, Dictionary<string, double> Metrics)
{
    public string? Note { get; init; }

    /// <summary>The 1-minute load average when the measurement window opened (<see cref="LoadAverage"/> is at its end).</summary>
    public double LoadAtStart { get; init; } = double.NaN;
}

/// <summary>A headline ratio: Dealwire's median divided by a baseline's median for one metric.</summary>
public sealed record Ratio(string Scenario, string Setting, string Metric, string Versus, double Value, string Target, bool? Met)
{
    /// <summary>The machine's load during the runs behind the ratio (lowest–highest 1-minute load average).</summary>
    public string Load { get; init; } = "";
}

/// <summary>Everything one invocation measured, written as JSON and as a markdown table.</summary>
public sealed class BenchResults
{
    public string StartedUtc { get; init; } = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture);
    public string Machine { get; init; } = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
    public string CommandLine { get; init; } = "";
    public List<RunRecord> Runs { get; } = [];
    public List<Ratio> Ratios { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>Median of a metric over the repetitions of one target at one setting (NaN when absent).</summary>
    public double Median(string scenario, string target, string setting, string metric)
    {
        var values = Runs.Where(r => r.Scenario == scenario && r.Target == target && r.Setting == setting && r.Metrics.ContainsKey(metric))
            .Select(r => r.Metrics[metric]).Where(v => !double.IsNaN(v)).Order().ToArray();
        if (values.Length == 0) return double.NaN;
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }

    public void AddRatio(string scenario, string setting, string metric, string versus, string target, Func<double, bool>? met = null, string dealwire = "dealwire")
    {
        var ours = Median(scenario, dealwire, setting, metric);
        var theirs = Median(scenario, versus, setting, metric);
        var value = ours / theirs;
        Ratios.Add(new Ratio(scenario, setting, dealwire == "dealwire" ? metric : $"{metric} ({dealwire})", versus, value, target, double.IsNaN(value) || met is null ? null : met(value))
        {
            Load = LoadRange(scenario, setting, dealwire, versus),
        });
    }

    /// <summary>Lowest–highest load average seen at the start and end of the runs of these targets at one setting.</summary>
    public string LoadRange(string scenario, string setting, params string[] targets)
    {
        var loads = Runs.Where(r => r.Scenario == scenario && r.Setting == setting && targets.Contains(r.Target))
            .SelectMany(r => new[] { r.LoadAtStart, r.LoadAverage }).Where(v => !double.IsNaN(v)).ToList();
        return loads.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{loads.Min():F1}–{loads.Max():F1}");
    }

    public void Write(string jsonPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
        var options = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(this, options));
        File.WriteAllText(Path.ChangeExtension(jsonPath, ".md"), ToMarkdown());
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {StartedUtc} on {Machine}  ").AppendLine(CultureInfo.InvariantCulture, $"`{CommandLine}`").AppendLine();
        if (Ratios.Count > 0)
        {
            md.AppendLine("| scenario | setting | metric | Dealwire ÷ | ratio | target | met | load avg |").AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in Ratios)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Setting} | {r.Metric} | {r.Versus} | {Format(r.Value)} | {r.Target} | {(r.Met is null ? "–" : r.Met.Value ? "yes" : "no")} | {r.Load} |");
            }
            md.AppendLine();
        }
        foreach (var scenario in Runs.Select(r => r.Scenario).Distinct())
        {
            var runs = Runs.Where(r => r.Scenario == scenario).ToList();
            var metrics = runs.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"**{scenario}** (medians over repetitions; load avg = lowest–highest 1-min load of the 2-core machine at the start and end of the runs)").AppendLine();
            md.Append("| target | setting | runs | load avg |");
            foreach (var m in metrics) md.Append(CultureInfo.InvariantCulture, $" {m} |");
            md.AppendLine().Append("|---|---|---|---|");
            foreach (var _ in metrics) md.Append("---|");
            md.AppendLine();
            foreach (var group in runs.GroupBy(r => (r.Target, r.Setting)))
            {
                md.Append(CultureInfo.InvariantCulture, $"| {group.Key.Target} | {group.Key.Setting} | {group.Count()} | {LoadRange(scenario, group.Key.Setting, group.Key.Target)} |");
                foreach (var m in metrics) md.Append(CultureInfo.InvariantCulture, $" {Format(Median(scenario, group.Key.Target, group.Key.Setting, m))} |");
                md.AppendLine();
            }
            md.AppendLine();
        }
        foreach (var note in Notes) md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        return md.ToString();
    }

    public static string Format(double v) => double.IsNaN(v) ? "–"
        : Math.Abs(v) >= 1000 ? v.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 10 ? v.ToString("F1", CultureInfo.InvariantCulture)
        : v.ToString("F3", CultureInfo.InvariantCulture);
}
