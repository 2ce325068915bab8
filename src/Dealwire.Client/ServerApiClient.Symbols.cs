using System.Text.Json;
using Dealwire.Client.Protocol;

namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    /// <summary><c>GetSymbols</c>: every symbol with its configuration and live quote.</summary>
    public async Task<IReadOnlyList<SymbolInfo>> GetSymbolsAsync(CancellationToken cancellationToken = default)
    {
        var data = await SendAsync("GetSymbols", EmptyObject, cancellationToken).ConfigureAwait(false);
        return TableReader.Records("GetSymbols", data, ClientJsonContext.Default.SymbolInfo);
    }

    /// <summary><c>GetSymbol</c>: one symbol.</summary>
    public Task<SymbolInfo> GetSymbolAsync(string symbol, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return CallAsync("GetSymbol", new SymbolRequest(symbol), ClientJsonContext.Default.SymbolRequest, ClientJsonContext.Default.SymbolInfo, cancellationToken);
    }

    /// <summary><c>GetGroups</c>: the trading groups this session may see.</summary>
    public async Task<IReadOnlyList<GroupInfo>> GetGroupsAsync(CancellationToken cancellationToken = default)
    {
        var data = await SendAsync("GetGroups", EmptyObject, cancellationToken).ConfigureAwait(false);
        return TableReader.Records("GetGroups", data, ClientJsonContext.Default.GroupInfo);
    }
}
