using System.Globalization;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Core;

/// <summary>A running sum reads as the amounts summed afresh would: same value, same scale.</summary>
public class ExactSumTests
{
    [Fact]
    public void Reads_at_the_largest_scale_of_the_amounts_it_holds_and_0_when_empty()
    {
        var sum = new ExactSum();
        Assert.Equal("0", Text(sum.Value));
        sum.Add(1.5m);
        sum.Add(2.25m);
        Assert.Equal("3.75", Text(sum.Value));
        // Taking out the only two-digit amount leaves one digit, as 1.5 + 0.5 summed afresh shows it.
        sum.Add(0.5m);
        sum.Remove(2.25m);
        Assert.Equal("2.0", Text(sum.Value));
        sum.Remove(0.5m);
        sum.Remove(1.5m);
        Assert.Equal("0", Text(sum.Value));
    }

    [Fact]
    public void Equals_the_fresh_sum_through_random_adds_and_removes()
    {
        var random = new Random(7);
        var held = new List<decimal>();
        var sum = new ExactSum();
        for (var step = 0; step < 5_000; step++)
        {
            if (held.Count > 0 && random.Next(3) == 0)
            {
                var i = random.Next(held.Count);
                sum.Remove(held[i]);
                held.RemoveAt(i);
            }
            else
            {
                // Money amounts at 0-4 digits, some with trailing zeros (1.20 keeps its scale of 2).
                var amount = new decimal(random.Next(-100_000, 100_000), 0, 0, false, (byte)random.Next(5));
                sum.Add(amount);
                held.Add(amount);
            }
            decimal fresh = 0;
            foreach (var a in held) fresh += a;
            Assert.Equal(Text(fresh), Text(sum.Value));
        }
    }

    [Fact]
    public void Prices_of_equal_value_and_other_scale_are_not_the_same_prices()
    {
        var at = new ProfitPrices(true, new Quote(1.1m, 1.2m, 0), ConversionRate.One);
        Assert.True(at.IsExactly(at with { Quote = new Quote(1.1m, 1.2m, 99) }));
        Assert.False(at.IsExactly(at with { Quote = new Quote(1.10m, 1.2m, 0) }));
        Assert.False(at.IsExactly(at with { Rate = new ConversionRate(1.0m, false) }));
        Assert.False(at.IsExactly(at with { Rate = new ConversionRate(1m, true) }));
        Assert.False(at.IsExactly(default));
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
