using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>One real server shared by the read-only end-to-end tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public DealwireProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions();
        options.Environment["DEALWIRE__Feed__TicksPerSecondPerSymbol"] = "20";
        Server = await DealwireProcess.StartAsync(options);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
