using System.Text.Json;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>A successful answer: the status (200, or 207 for a partial batch) and a writer for <c>data</c>.</summary>
internal sealed class Reply
{
    private static readonly Reply OkText = new(200, static w => w.WriteStringValue("OK"), null);

    private Reply(int status, Action<Utf8JsonWriter> writeData, Action<Utf8JsonWriter>? writeExtra)
    {
        Status = status;
        WriteData = writeData;
        WriteExtra = writeExtra;
    }

    public int Status { get; }

    /// <summary>Writes the value of <c>data</c>.</summary>
    public Action<Utf8JsonWriter> WriteData { get; }

    /// <summary>Writes extra top-level properties (AddSymbolGroup's <c>sec_index</c>).</summary>
    public Action<Utf8JsonWriter>? WriteExtra { get; }

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
