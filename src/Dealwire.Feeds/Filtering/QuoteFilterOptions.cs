namespace Dealwire.Feeds.Filtering;

/// <summary>Settings of the <see cref="QuoteFilter"/> (configuration section <c>Feed:Filter</c>).</summary>
public sealed class QuoteFilterOptions
{
    /// <summary>False lets every tick through (the engine still rejects crossed or unknown ones).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A mid-price move larger than this, in percent of the last accepted mid, is a suspected spike.</summary>
    public decimal MaxJumpPercent { get; set; } = 3m;

    /// <summary>
    /// A suspected spike is accepted as the new level on the K-th consecutive tick that agrees with it
    /// (within <see cref="MaxJumpPercent"/> of the previous suspect); the K-1 before it are rejected.
    /// 1 disables the spike filter.
    /// </summary>
    public int ConfirmTicks { get; set; } = 3;

    /// <summary>A tick whose time lies further than this behind the wall clock is stale; 0 disables the check.</summary>
    public long MaxQuoteAgeMs { get; set; } = 60_000;
}
