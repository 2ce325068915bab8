using System.Text;
using Dealwire.Feeds.Feeder;

namespace Dealwire.Host.Tests.Feeds;

public sealed class FeederLineTests
{
    private static (FeederLineKind Kind, string? Symbol, decimal Bid, decimal Ask, long? Time, string? Code) Parse(string line)
    {
        var kind = FeederLine.Parse(Encoding.UTF8.GetBytes(line), out var symbol, out var bid, out var ask, out var time, out _, out var code, out _);
        return (kind, symbol, bid, ask, time, code);
    }

    [Fact]
    public void A_tick_keeps_its_prices_exact_and_its_time()
    {
        Assert.Equal((FeederLineKind.Tick, "EURUSD", 1.10001m, 1.10011m, 1733300000123L, null),
            Parse("""{"symbol":"EURUSD","bid":1.10001,"ask":1.10011,"time":1733300000123}"""));
    }

    [Fact]
    public void Time_is_optional_and_unknown_fields_are_ignored()
    {
        Assert.Equal((FeederLineKind.Tick, "EURUSD", 1.1m, 1.2m, (long?)null, null), Parse("""{"ask":1.2,"src":{"x":[1]},"bid":1.1,"symbol":"EURUSD"}"""));
    }

    [Theory]
    [InlineData("not json", FeederErrors.BadJson)]
    [InlineData("[1,2]", FeederErrors.BadJson)]
    [InlineData("""{"symbol":"EURUSD","bid":1.1,"ask":1.2}{}""", FeederErrors.BadJson)]
    [InlineData("""{"bid":1.1,"ask":1.2}""", FeederErrors.BadTick)]
    [InlineData("""{"symbol":"EURUSD","bid":1.1}""", FeederErrors.BadTick)]
    [InlineData("""{"symbol":"EURUSD","bid":"1.1","ask":1.2}""", FeederErrors.BadTick)]
    [InlineData("""{"symbol":"EURUSD","bid":0,"ask":1.2}""", FeederErrors.BadTick)]
    [InlineData("""{"symbol":"EURUSD","bid":1.1,"ask":1.2,"time":1.5}""", FeederErrors.BadTick)]
    [InlineData("""{"symbol":7,"bid":1.1,"ask":1.2}""", FeederErrors.BadTick)]
    public void A_bad_line_has_a_stable_code(string line, string code)
    {
        var parsed = Parse(line);
        Assert.Equal((FeederLineKind.Error, code), (parsed.Kind, parsed.Code));
    }
}
