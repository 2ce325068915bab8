using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// A parsed request line: <c>{"command","data","extID","__token"}</c>. Owns a pooled copy of the line's bytes,
/// so <see cref="Data"/> stays valid however long the command awaits the engine (the receive pipe reuses its
/// memory as soon as the read loop moves on); dispose it when the command is done.
/// </summary>
/// <remarks>
/// One forward pass of <see cref="Utf8JsonReader"/> over the line validates it and records where each envelope
/// field and each top-level property of <c>data</c> lie (<see cref="DataIndex"/>); nothing is materialized until a
/// handler asks. No <see cref="JsonDocument"/> is built unless a handler needs nested arrays or objects of
/// <c>data</c> (then one over the <c>data</c> bytes only). Instances are pooled: a steady stream of commands
/// allocates no envelope, no command-name string and no token string (see <see cref="Utf8Strings"/>).
/// </remarks>
internal sealed class Envelope : IDisposable
{
    private const int MaxPooled = 1024;
    private static readonly ConcurrentQueue<Envelope> Pool = new();
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private byte[]? _line;
    private int _length;
    private readonly DataIndex _data = new();
    private JsonDocument? _dataDocument;
    private ExtIdForm _extIdForm;
    private int _extIdStart;
    private int _extIdLength;
    private string? _extId;

    private Envelope()
    {
    }

    /// <summary>The correlation id echoed in the reply; null when the request had none. Made on first use.</summary>
    public string? ExtId => _extIdForm switch
    {
        ExtIdForm.None => null,
        _ => _extId ??= Encoding.UTF8.GetString(ExtIdUtf8),
    };

    /// <summary>Whether the request carried an extID (the reply echoes it; else <c>"extID":null</c>).</summary>
    public bool HasExtId => _extIdForm != ExtIdForm.None;

    /// <summary>The extID as UTF-8 text (unescaped), for writing it back without making a string.</summary>
    public ReadOnlySpan<byte> ExtIdUtf8 => _extIdForm == ExtIdForm.Escaped
        ? Encoding.UTF8.GetBytes(_extId!)
        : Bytes.Slice(_extIdStart, _extIdLength);

    public string Command { get; private set; } = "";

    public string? Token { get; private set; }

    /// <summary>The <c>data</c> object as a JSON element (parsed on first use); an empty object when absent or null.</summary>
    public JsonElement Data
    {
        get
        {
            if (!_data.Present) return EmptyObject;
            _dataDocument ??= JsonDocument.Parse(Memory.Slice(_data.Start, _data.End - _data.Start), new JsonDocumentOptions { MaxDepth = 64 });
            return _dataDocument.RootElement;
        }
    }

    /// <summary>The top-level properties of <c>data</c> as found by the parse.</summary>
    internal DataIndex DataIndex => _data;

    internal ReadOnlySpan<byte> Bytes => (_line ?? throw new ObjectDisposedException(nameof(Envelope))).AsSpan(0, _length);

    private ReadOnlyMemory<byte> Memory => (_line ?? throw new ObjectDisposedException(nameof(Envelope))).AsMemory(0, _length);

    /// <summary>
    /// Parses one line. Malformed input throws <see cref="ProtocolException"/> with the extID recovered so far
    /// (null when the JSON itself is unreadable) in <paramref name="extId"/>; on success <paramref name="extId"/>
    /// is null and the envelope's <see cref="ExtId"/> holds it (made only when asked for).
    /// </summary>
    public static Envelope Parse(in ReadOnlySequence<byte> line, out string? extId)
    {
        if (!Pool.TryDequeue(out var envelope)) envelope = new Envelope();
        var length = checked((int)line.Length);
        envelope._line = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        envelope._length = length;
        line.CopyTo(envelope._line);
        try
        {
            envelope.Read();
            extId = null;
            return envelope;
        }
        catch (ProtocolException)
        {
            extId = envelope._extIdForm == ExtIdForm.None ? null : envelope.ExtId;
            envelope.Dispose();
            throw;
        }
        catch
        {
            envelope.Dispose();
            throw;
        }
    }

    private void Read()
    {
        var bytes = Bytes;
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw ProtocolException.InvalidData("malformed JSON: invalid UTF-8");

        var fields = new EnvelopeFields();
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var kind = Describe(reader.TokenType);
                ReadToEnd(ref reader);
                throw ProtocolException.InvalidData($"a request must be a JSON object, not {kind}");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Classify(ref reader, ref fields);
                reader.Read();
                var value = new Slot(reader.TokenType, (int)reader.TokenStartIndex, 0);
                if (field == Field.Data && reader.TokenType == JsonTokenType.StartObject) _data.Read(ref reader);
                else reader.Skip();
                value.End = (int)reader.BytesConsumed;
                switch (field)
                {
                    case Field.Command: fields.Command = value; break;
                    case Field.ExtID: fields.ExtID = value; break;
                    case Field.ExtId: fields.ExtIdSpelling = value; break;
                    case Field.Token: fields.Token = value; break;
                    case Field.Data:
                        fields.Data = value;
                        if (value.Kind != JsonTokenType.StartObject) _data.Clear();
                        break;
                }
            }
            ReadToEnd(ref reader);
        }
        catch (JsonException ex)
        {
            throw ProtocolException.InvalidData("malformed JSON: " + FirstSentence(ex.Message));
        }

        ReadExtId(fields.ExtID.Kind != JsonTokenType.None ? fields.ExtID : fields.ExtIdSpelling);
        // A property name escaping half a surrogate pair cannot even be compared.
        if (fields.UnreadableName) throw ProtocolException.InvalidData("the request is not valid Unicode text (lone surrogate escape)");

        if (fields.Command.Kind != JsonTokenType.String) throw ProtocolException.InvalidData("command is required and must be a string");
        var command = StringValue(fields.Command, "command", intern: true);
        if (command.Length == 0) throw ProtocolException.InvalidData("command is required and must be a string");
        Command = command;

        Token = fields.Token.Kind switch
        {
            JsonTokenType.None or JsonTokenType.Null => null,
            JsonTokenType.String => StringValue(fields.Token, "__token", intern: false),
            _ => throw ProtocolException.InvalidData("__token must be a string"),
        };

        if (fields.Data.Kind is not (JsonTokenType.None or JsonTokenType.Null or JsonTokenType.StartObject))
        {
            throw ProtocolException.InvalidData("data must be an object");
        }
    }

    /// <summary>Which envelope field a root property is; escaped names are unescaped first (last one of a name wins, as in JSON objects read by name).</summary>
    private static Field Classify(ref Utf8JsonReader reader, ref EnvelopeFields fields)
    {
        if (!reader.ValueIsEscaped) return Classify(reader.ValueSpan);
        string name;
        try
        {
            name = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            fields.UnreadableName = true;
            return Field.Other;
        }
        return Classify(Encoding.UTF8.GetBytes(name));
    }

    private static Field Classify(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("command"u8) => Field.Command,
        _ when name.SequenceEqual("data"u8) => Field.Data,
        _ when name.SequenceEqual("extID"u8) => Field.ExtID,
        _ when name.SequenceEqual("__token"u8) => Field.Token,
        _ when name.SequenceEqual("extId"u8) => Field.ExtId,
        _ => Field.Other,
    };

    /// <summary><c>extID</c>, or the <c>extId</c> spelling of one docs generation; scalars are echoed as their text.</summary>
    private void ReadExtId(Slot value)
    {
        switch (value.Kind)
        {
            case JsonTokenType.None or JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                if (IsEscaped(value))
                {
                    _extId = StringValue(value, "extID", intern: false);
                    _extIdForm = ExtIdForm.Escaped;
                    return;
                }
                (_extIdStart, _extIdLength) = (value.Start + 1, value.End - value.Start - 2);
                _extIdForm = ExtIdForm.Text;
                return;
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                (_extIdStart, _extIdLength) = (value.Start, value.End - value.Start);
                _extIdForm = ExtIdForm.Text;
                return;
            default:
                throw ProtocolException.InvalidData("extID must be a string");
        }
    }

    private bool IsEscaped(Slot stringValue) => Bytes.Slice(stringValue.Start + 1, stringValue.End - stringValue.Start - 2).Contains((byte)'\\');

    /// <summary>
    /// A string field's text. Valid UTF-8 can still escape half a surrogate pair (<c>"\ud800"</c>), which has
    /// no UTF-16 string: that is the client's bad input, answered like any other, not a server fault.
    /// </summary>
    private string StringValue(Slot value, string field, bool intern)
    {
        if (!IsEscaped(value))
        {
            var text = Bytes.Slice(value.Start + 1, value.End - value.Start - 2);
            return intern ? Utf8Strings.Name(text) : Utf8Strings.Token(text);
        }
        var reader = new Utf8JsonReader(Bytes[value.Start..value.End]);
        reader.Read();
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ProtocolException.InvalidData($"{field} is not valid Unicode text (lone surrogate escape)");
        }
    }

    /// <summary>Skips the rest of the current value and requires nothing after it but whitespace.</summary>
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        reader.Skip();
        while (reader.Read())
        {
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }

    public void Dispose()
    {
        var line = _line;
        if (line is null) return;
        _dataDocument?.Dispose();
        _dataDocument = null;
        _line = null;
        _length = 0;
        _data.Clear();
        _extIdForm = ExtIdForm.None;
        _extId = null;
        Command = "";
        Token = null;
        ArrayPool<byte>.Shared.Return(line);
        if (Pool.Count < MaxPooled) Pool.Enqueue(this);
    }

    private enum Field { Other, Command, Data, ExtID, ExtId, Token }

    private enum ExtIdForm { None, Text, Escaped }

    /// <summary>Where one root property's value lies in the line: [Start, End) including quotes and brackets.</summary>
    private record struct Slot(JsonTokenType Kind, int Start, int End);

    private struct EnvelopeFields
    {
        public Slot Command;
        public Slot ExtID;
        public Slot ExtIdSpelling;
        public Slot Token;
        public Slot Data;
        public bool UnreadableName;
    }
}
