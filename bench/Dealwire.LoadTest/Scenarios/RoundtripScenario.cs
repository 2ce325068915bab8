namespace Dealwire.LoadTest.Scenarios;
public sealed class RoundtripScenario(BenchOptions options, ProgressUi ui, Dealwire.LoadTest.Measurement.BenchResults results)
{
    public Task RunAsync() => throw new NotSupportedException($"{options}{ui}{results}");
}
