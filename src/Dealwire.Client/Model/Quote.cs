namespace Dealwire.Client;

/// <summary>A pushed price tick <c>["t",symbol,bid,ask,time]</c>.</summary>
/// <param name="Symbol">Server symbol name.</param>
/// <param name="Bid">Bid price, exactly as sent.</param>
/// <param name="Ask">Ask price, exactly as sent.</param>
/// <param name="Time">Server time of the tick in Unix seconds.</param>
public readonly record struct Quote(string Symbol, decimal Bid, decimal Ask, long Time) : ISymbolScoped
{
    /// <summary><see cref="Time"/> as a UTC timestamp.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(Time);
}
