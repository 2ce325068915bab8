using Spectre.Console;

namespace Dealwire.LoadTest.Measurement;

/// <summary>The end-of-run tables on the console: medians per target and setting, then the headline ratios.</summary>
public static class ResultsTable
{
    public static void Print(BenchResults results)
    {
        foreach (var scenario in results.Runs.Select(r => r.Scenario).Distinct())
        {
            var runs = results.Runs.Where(r => r.Scenario == scenario).ToList();
            var metrics = runs.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
            var table = new Table().Title($"{scenario} (medians)").AddColumns("target", "setting", "runs", "load");
            foreach (var m in metrics) table.AddColumn(new TableColumn(Markup.Escape(m)).RightAligned());
            foreach (var group in runs.GroupBy(r => (r.Target, r.Setting)))
            {
                var row = new List<string> { group.Key.Target, group.Key.Setting, group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    results.LoadRange(scenario, group.Key.Setting, group.Key.Target) };
                row.AddRange(metrics.Select(m => BenchResults.Format(results.Median(scenario, group.Key.Target, group.Key.Setting, m))));
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }
            AnsiConsole.Write(table);
            foreach (var note in runs.Where(r => r.Note is not null)) AnsiConsole.MarkupLine($"[grey]{Markup.Escape($"{note.Target} {note.Setting} #{note.Repetition}: {note.Note}")}[/]");
        }
        if (results.Ratios.Count == 0) return;
        var ratios = new Table().Title("headline ratios (Dealwire ÷ baseline, medians of interleaved runs)").AddColumns("scenario", "setting", "metric", "versus", "ratio", "target", "met", "load");
        foreach (var r in results.Ratios)
        {
            ratios.AddRow(Markup.Escape(r.Scenario), Markup.Escape(r.Setting), Markup.Escape(r.Metric), Markup.Escape(r.Versus), BenchResults.Format(r.Value), Markup.Escape(r.Target),
                r.Met is null ? "–" : r.Met.Value ? "[green]yes[/]" : "[red]no[/]", Markup.Escape(r.Load));
        }
        AnsiConsole.Write(ratios);
    }
}
