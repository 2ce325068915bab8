using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dealwire.Client.Protocol;

/// <summary>
/// Reads list results in both shapes the server uses: table form <c>{"structure":[cols],"rows":[[…]]}</c>
/// (scaletrade-tcp §4.1) and object rows <c>{"rows":[{…}]}</c> (GetGroups, GetUserBalanceList).
/// </summary>
internal static class TableReader
{
    public static IReadOnlyList<T> Records<T>(string command, JsonElement data, JsonTypeInfo<T> type)
    {
        if (data.ValueKind == JsonValueKind.Array) return Objects(command, data, type);
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"{command} answered without a rows array.");
        }
        if (!data.TryGetProperty("structure", out var structure)) return Objects(command, rows, type);

        var columns = structure.EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        var list = new List<T>(rows.GetArrayLength());
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var row in rows.EnumerateArray())
        {
            // Rebuild each row as an object so the same typed record serves tables and objects alike.
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            var i = 0;
            foreach (var cell in row.EnumerateArray())
            {
                if (i < columns.Length)
                {
                    writer.WritePropertyName(columns[i]);
                    cell.WriteTo(writer);
                }
                i++;
            }
            writer.WriteEndObject();
            writer.Flush();
            list.Add(JsonSerializer.Deserialize(buffer.WrittenSpan, type) ?? throw new JsonException($"{command}: a null row."));
        }
        return list;
    }

    private static List<T> Objects<T>(string command, JsonElement rows, JsonTypeInfo<T> type) =>
        [.. rows.EnumerateArray().Select(row => row.Deserialize(type) ?? throw new JsonException($"{command}: a null row."))];
}
