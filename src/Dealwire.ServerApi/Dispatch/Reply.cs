using System.Text.Json;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>
/// A successful answer: the status (200, or 207 for a partial batch) and how to write <c>data</c>. Most commands
/// pass a writer delegate; the hot trade answers are subclasses holding their fields, reused by a pooled
/// <see cref="CommandContext"/> (see <see cref="TradeReplies"/>), so a trade costs no closure per command.
/// </summary>
internal class Reply
{
    private static readonly Reply OkText = new(200, static w => w.WriteStringValue("OK"), null);
    private readonly Action<Utf8JsonWriter>? _writeData;
    private readonly Action<Utf8JsonWriter>? _writeExtra;

    private Reply(int status, Action<Utf8JsonWriter> writeData, Action<Utf8JsonWriter>? writeExtra)
    {
        Status = status;
        _writeData = writeData;
        _writeExtra = writeExtra;
    }

    protected Reply() => Status = 200;

    public int Status { get; }

    /// <summary>Writes the value of <c>data</c>.</summary>
    public virtual void WriteData(Utf8JsonWriter w) => _writeData!(w);

    /// <summary>Writes extra top-level properties (AddSymbolGroup's <c>sec_index</c>); nothing for most answers.</summary>
    public virtual void WriteExtra(Utf8JsonWriter w) => _writeExtra?.Invoke(w);

    /// <summary><c>"data":"OK"</c>, the answer of simple mutations.</summary>
    public static Reply Ok() => OkText;

    public static Reply Ok(Action<Utf8JsonWriter> writeData, int status = 200, Action<Utf8JsonWriter>? writeExtra = null) =>
        new(status, writeData, writeExtra);

    /// <summary>A JSON object as <c>data</c>.</summary>
    public static Reply Object(Action<Utf8JsonWriter> writeProperties) => new(200, w =>
    {
        w.WriteStartObject();
        writeProperties(w);
        w.WriteEndObject();
    }, null);
}
