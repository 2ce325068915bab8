using BenchmarkDotNet.Running;

// Runs any benchmark of this assembly: `dotnet run -c Release --project bench/Dealwire.Benchmarks -- --filter '*Tick*'`.
BenchmarkSwitcher.FromAssembly(typeof(Dealwire.Benchmarks.Engine.BenchmarkBroker).Assembly).Run(args);
