namespace Dealwire.Engine.Core;

/// <summary>
/// Where time and prices drive the dealing rules. On every accepted tick: the rollover if its minute
/// passed, due expirations, then the symbol's triggers when its market is open (a closed market
/// triggers nothing; the first tick after the open does). On a time command: rollover and expirations.
/// </summary>
public sealed partial class TradingEngine
{
    partial void OnTick(SymbolState symbol)
    {
        ProcessRollovers();
        ProcessExpirations();
        if (Sessions.IsTradingOpen(symbol.Config, Now)) ProcessTriggers(symbol);
    }

    partial void OnTimePassed(ref bool changed)
    {
        if (ProcessRollovers()) changed = true;
        if (ProcessExpirations()) changed = true;
    }
}
