using System.Runtime.CompilerServices;

namespace Dealwire.Engine.Core;

/// <summary>
/// A running sum of money amounts that reads exactly as summing them afresh would: the same value (sums of
/// money amounts are exact) at the same decimal scale (the largest of the amounts', 0 with none). Adding and
/// taking out amounts as positions come and go keeps a total O(1) instead of walking every position each time
/// a figure is reported; the scale matters because the wire writes "2.00" and "2.0" differently.
/// </summary>
internal struct ExactSum
{
    private decimal _sum;

    /// <summary>How many of the summed amounts have each decimal scale (0-28).</summary>
    private ScaleCounts _scales;

    public void Add(decimal amount)
    {
        _sum += amount;
        _scales[amount.Scale]++;
    }

    public void Remove(decimal amount)
    {
        _sum -= amount;
        _scales[amount.Scale]--;
    }

    public void Clear() => this = default;

    public readonly decimal Value
    {
        get
        {
            var scale = 28;
            while (scale > 0 && _scales[scale] == 0) scale--;
            var sum = _sum;
            if (sum.Scale > scale) return Math.Round(sum, scale);
            return sum.Scale < scale ? sum + new decimal(0, 0, 0, false, (byte)scale) : sum;
        }
    }

    [InlineArray(29)]
    private struct ScaleCounts
    {
        private int _count;
    }
}
