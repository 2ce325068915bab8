using System.Globalization;
using System.Text;
using Dealwire.ReadModel.History.Sqlite;
using Xunit;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// <see cref="DecimalUtf8"/> writes what the runtime writes, byte for byte: the history store's money text depends on
/// it (a lost trailing zero or a signed zero would change what reports read and what tests compare).
/// </summary>
public sealed class DecimalUtf8Tests
{
    // One fact, not a theory: 0m, -0m and 0.00m display alike and xUnit would run only one of them.
    private static readonly decimal[] Edges =
    [
        0m, -0m, 0.00m, new decimal(0, 0, 0, true, 5), 1m, -1m, 1.08500m, 0.05m, -0.0001m, 10m, 100.0m, 1e-28m, -1e-28m,
        123456789012345678m, ulong.MaxValue, (decimal)ulong.MaxValue + 1, -(decimal)ulong.MaxValue,
        new decimal(-1, -1, 0, false, 28), new decimal(-1, -1, 0, true, 19), new decimal(-1, -1, 0, false, 20),
        decimal.MaxValue, decimal.MinValue, new decimal(1, 0, 1, false, 28),
    ];

    [Fact]
    public void Edge_values_are_formatted_as_the_runtime_formats_them()
    {
        foreach (var value in Edges) AssertSameAsRuntime(value);
    }

    [Fact]
    public void Random_values_of_every_scale_and_width_are_formatted_as_the_runtime_formats_them()
    {
        var random = new Random(23);
        for (var i = 0; i < 200_000; i++)
        {
            // Mostly money and prices (a 32-bit integer part), then 64-bit ones, then a few past 64 bits (the fallback).
            var lo = random.Next(4) == 0 ? random.Next(0, 1_000_000) : random.Next(int.MinValue, int.MaxValue);
            var mid = random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : 0;
            var hi = random.Next(10) == 0 ? random.Next() : 0;
            AssertSameAsRuntime(new decimal(lo, mid, hi, random.Next(2) == 0, (byte)random.Next(29)));
        }
    }

    [Fact]
    public void A_destination_too_short_is_refused()
    {
        var buffer = new byte[4];
        Assert.Throws<ArgumentException>(() => DecimalUtf8.Format(123.45m, buffer));
    }

    private static void AssertSameAsRuntime(decimal value)
    {
        Span<byte> expected = stackalloc byte[64];
        Assert.True(value.TryFormat(expected, out var expectedLength, default, CultureInfo.InvariantCulture));
        Span<byte> actual = stackalloc byte[DecimalUtf8.MaxLength];
        var length = DecimalUtf8.Format(value, actual);
        Assert.True(expected[..expectedLength].SequenceEqual(actual[..length]),
            $"{value}: runtime '{Encoding.ASCII.GetString(expected[..expectedLength])}', ours '{Encoding.ASCII.GetString(actual[..length])}'");
    }
}
