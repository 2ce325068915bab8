using System.Globalization;
using System.Text;
using Dealwire.ReadModel.History.Sqlite;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>SQLite money text: the fast UTF-8 form equals the custom format every row was written with before.</summary>
public sealed class MoneyTextTests
{
    private const string CustomFormat = "0.0###########################";

    [Theory]
    [InlineData("1.08500", "1.085")]
    [InlineData("10", "10.0")]
    [InlineData("-0.11", "-0.11")]
    [InlineData("0.00", "0.0")]
    [InlineData("-0.00", "0.0")]
    [InlineData("100.10", "100.1")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335.0")]
    [InlineData("-0.0000000000000000000000000001", "-0.0000000000000000000000000001")]
    public void Formats_like_the_custom_format(string input, string expected)
    {
        var value = decimal.Parse(input, CultureInfo.InvariantCulture);
        Assert.Equal(expected, Format(value));
        Assert.Equal(value.ToString(CustomFormat, CultureInfo.InvariantCulture), Format(value));
    }

    [Fact]
    public void Random_amounts_of_every_scale_match_the_custom_format()
    {
        var random = new Random(20261205);
        for (var i = 0; i < 200_000; i++)
        {
            var value = new decimal(random.Next(), random.Next(), i % 7 == 0 ? random.Next() : 0, random.Next(2) == 0, (byte)random.Next(29));
            if (i % 3 == 0) value = Math.Round(value, random.Next(9));
            Assert.Equal(value.ToString(CustomFormat, CultureInfo.InvariantCulture), Format(value));
        }
    }

    private static string Format(decimal value)
    {
        Span<byte> buffer = stackalloc byte[MoneyText.MaxLength];
        return Encoding.UTF8.GetString(buffer[..MoneyText.Format(value, buffer)]);
    }
}
