using System.Buffers;
using System.Text;
using System.Text.Json;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Tests.Gateway;

/// <summary>
/// The envelope's one-pass reader and its <c>data</c> index give what a JSON document gives: the same values and
/// the same rejections, field by field, for the awkward inputs (duplicates, escapes, loose integers, nulls).
/// </summary>
public sealed class EnvelopeReaderTests
{
    private static Envelope Parse(string line) => Envelope.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), out _);

    /// <summary>Reads one field both ways: through the index and through a JsonElement of the same data.</summary>
    private static (string Indexed, string Document) Both(string data, Func<DataReader, object?> read)
    {
        using var envelope = Parse($$"""{"command":"X","data":{{data}},"extID":"e"}""");
        using var document = JsonDocument.Parse(data);
        return (Outcome(() => read(new DataReader(envelope))), Outcome(() => read(new DataReader(document.RootElement))));
    }

    private static string Outcome(Func<object?> read)
    {
        try
        {
            return "value " + Convert.ToString(read(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (ProtocolException ex)
        {
            return $"{ex.Status} {ex.Message}";
        }
        catch (InvalidOperationException ex)
        {
            // The dispatcher answers these 400 "invalid data" when they come from System.Text.Json.
            return "invalid text from " + ex.Source;
        }
    }

    public static TheoryData<string, string> Fields => new()
    {
        { """{"login":1000}""", "login" },
        { """{"login":1000.0}""", "login" },
        { """{"login":1.5}""", "login" },
        { """{"login":1e30}""", "login" },
        { """{"login":"1000"}""", "login" },
        { """{"login":null}""", "login" },
        { """{"login":1,"login":2}""", "login" },
        { """{"lo\u0067in":7}""", "login" },
        { """{"symbol":"EURUSD"}""", "symbol" },
        { """{"symbol":"EUR\u0027USD"}""", "symbol" },
        { """{"symbol":"\ud800"}""", "symbol" },
        { """{"symbol":[1]}""", "symbol" },
        { """{"amount":12.345678}""", "amount" },
        { """{"amount":1e16}""", "amount" },
        { """{"enable":true}""", "enable" },
        { """{"enable":2}""", "enable" },
        { """{"other":{"login":5}}""", "login" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Every_reader_gives_what_a_json_document_gives(string data, string field)
    {
        Func<DataReader, object?> read = field switch
        {
            "login" => d => d.OptionalLong("login", -1),
            "symbol" => d => d.OptionalString("symbol", 32),
            "amount" => d => d.OptionalDecimal("amount"),
            _ => d => d.OptionalFlag(field),
        };
        var (indexed, document) = Both(data, read);
        Assert.Equal(document, indexed);
        var has = Both(data, d => d.Has(field));
        Assert.Equal(has.Document, has.Indexed);
    }

    [Fact]
    public void Extid_is_echoed_as_text_in_either_spelling_and_numbers_keep_their_digits()
    {
        using (var e = Parse("""{"command":"X","extID":"a\"b"}""")) Assert.Equal("a\"b", e.ExtId);
        using (var e = Parse("""{"command":"X","extId":12.50}""")) Assert.Equal("12.50", e.ExtId);
        using (var e = Parse("""{"command":"X","extId":"low","extID":"up"}""")) Assert.Equal("up", e.ExtId);
        using (var e = Parse("""{"command":"X","extID":null}""")) Assert.Null(e.ExtId);
    }

    [Fact]
    public void Malformed_lines_are_rejected_with_their_reason_and_the_extid_when_known()
    {
        var error = Assert.Throws<ProtocolException>(() => Envelope.Parse(new ReadOnlySequence<byte>("""{"command":"X"} trailing"""u8.ToArray()), out _));
        Assert.StartsWith("malformed JSON", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ProtocolException>(() => Envelope.Parse(new ReadOnlySequence<byte>("""[1,2]"""u8.ToArray()), out _));
        Assert.Equal("a request must be a JSON object, not an array", error.Message);
        string? extId = null;
        error = Assert.Throws<ProtocolException>(() => Envelope.Parse(new ReadOnlySequence<byte>("""{"command":5,"extID":"k"}"""u8.ToArray()), out extId));
        Assert.Equal("command is required and must be a string", error.Message);
        Assert.Equal("k", extId);
        error = Assert.Throws<ProtocolException>(() => Envelope.Parse(new ReadOnlySequence<byte>("""{"command":"X","data":[],"extID":"k"}"""u8.ToArray()), out _));
        Assert.Equal("data must be an object", error.Message);
    }

    [Fact]
    public void A_pooled_envelope_keeps_nothing_of_the_previous_request()
    {
        using (var first = Parse("""{"command":"First","data":{"login":1},"extID":"one","__token":"t"}""")) Assert.Equal(1, new DataReader(first).RequireLong("login"));
        using var second = Parse("""{"command":"Second"}""");
        Assert.Equal("Second", second.Command);
        Assert.Null(second.ExtId);
        Assert.Null(second.Token);
        Assert.False(new DataReader(second).Has("login"));
    }
}
