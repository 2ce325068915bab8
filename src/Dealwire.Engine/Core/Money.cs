namespace Dealwire.Engine.Core;

/// <summary>The one rounding rule for money: half away from zero to the account currency's digits, at booking.</summary>
internal static class Money
{
    public static decimal Round(decimal amount, int digits) => Math.Round(amount, digits, MidpointRounding.AwayFromZero);

    /// <summary>Rounds a price to a symbol's digits (prices arriving as binary floats carry noise).</summary>
    public static decimal Price(decimal price, int digits) => Math.Round(price, digits, MidpointRounding.AwayFromZero);
}
