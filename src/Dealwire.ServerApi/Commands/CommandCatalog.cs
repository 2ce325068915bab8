using Dealwire.ServerApi.Dispatch;

namespace Dealwire.ServerApi.Commands;

/// <summary>All command families of the Server API (scaletrade-tcp §7), one class per family.</summary>
internal static class CommandCatalog
{
    public static CommandTable Build()
    {
        var table = new CommandTable();
        QuoteCommands.Register(table);
        AuthCommands.Register(table);
        AccountCommands.Register(table);
        TradeCommands.Register(table);
        TradeQueryCommands.Register(table);
        ExportCommands.Register(table);
        CustomerCommands.Register(table);
        FinanceCommands.Register(table);
        SymbolCommands.Register(table);
        SymbolGroupCommands.Register(table);
        GroupCommands.Register(table);
        NotifyCommands.Register(table);
        ManagerCommands.Register(table);
        ChartCommands.Register(table);
        LogCommands.Register(table);
        ConfigCommands.Register(table);
        CrossPairCommands.Register(table);
        table.RequireMatrixCovered();
        return table;
    }
}
