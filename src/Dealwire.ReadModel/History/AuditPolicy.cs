using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.History;

/// <summary>
/// Which commands are manager/admin actions and how they are written to the audit log. Traders' own orders
/// (<c>user:</c>) and machine input (feed ticks, the clock, the system's first start) are not audited: the
/// deals and ledger already record them.
/// </summary>
internal static class AuditPolicy
{
    /// <summary>
    /// The journal's JSON form of a command (polymorphic, <c>$c</c> discriminator, exact decimals), without the members
    /// that hold their default (0, false, null, ""): a trade's image is half its full size. The audit log is most of the
    /// history store's bytes when managers trade, and every byte is written twice (WAL, then the table). Enumerations are
    /// always written, so a buy still says <c>"Command":0</c>.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyStringsKeepEnums } },
    };

    public static bool IsAudited(EngineCommand c) =>
        c is not (ApplyTick or AdvanceTime)
        && !c.Actor.StartsWith("user:", StringComparison.Ordinal)
        && c.Actor is not ("feed" or AdvanceTime.ClockActor or "system" or "");

    /// <summary>How the images are written: the serializer's own escaping, no per-token validation.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = Json.Encoder, SkipValidation = true };

    /// <summary>
    /// Each journaled command type's discriminator ("ledger.post", "account.update", …) and its image's opening bytes as
    /// the polymorphic serializer writes them (<c>{"$c":"trade.open"</c>), from one walk of the registered types.
    /// </summary>
    private static readonly Dictionary<Type, (string Name, byte[] Opening)> Discriminators = typeof(EngineCommand)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (a.TypeDiscriminator?.ToString() ?? a.DerivedType.Name, OpeningOf(a.TypeDiscriminator)));

    private static byte[] OpeningOf(object? discriminator)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            if (discriminator is int number) w.WriteNumber("$c", number);
            else w.WriteString("$c", discriminator?.ToString());
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The journal discriminator ("ledger.post", "account.update", …).</summary>
    public static string CommandName(EngineCommand c) => Discriminators.TryGetValue(c.GetType(), out var d) ? d.Name : c.GetType().Name;

    /// <summary>
    /// Writes the audit images of one fold: the command's JSON and the "after" array, each as UTF-8 straight from the
    /// serializer (a row holds one exact-size array per image; the store binds it as text). One writer per thread.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The Utf8JsonWriter writes to an array buffer: disposing it would only flush, and every image is flushed when taken.")]
    internal sealed class ImageWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _json;

        [ThreadStatic] private static ImageWriter? _current;

        private ImageWriter() => _json = new Utf8JsonWriter(_buffer, WriterOptions);

        /// <summary>This thread's writer: folds run on pool threads, one fold at a time per thread.</summary>
        public static ImageWriter ForThisThread => _current ??= new ImageWriter();

        /// <summary>The command as the audit log shows it: its journal JSON, a customer's password hash blanked.</summary>
        public byte[] CommandJson(EngineCommand c)
        {
            if (c is AddCustomer add) c = add with { Customer = add.Customer with { PasswordHash = "" } };
            Start();
            // A manager's open, close and deposit, the commands audited most, by hand (the same bytes, AuditCommandImage).
            if (AuditCommandImage.TryWrite(_json, c)) return Take();
            if (!Discriminators.TryGetValue(c.GetType(), out var registered))
            {
                JsonSerializer.Serialize(_json, c, Json);
                return Take();
            }
            // By its own type, with the discriminator put in front: the bytes the polymorphic serializer writes, without
            // resolving the derived type (and allocating a frame stack for it) on every command.
            JsonSerializer.Serialize(_json, c, c.GetType(), Json);
            _json.Flush();
            var prefix = registered.Opening;
            var body = _buffer.WrittenSpan;
            if (body.Length == 2)
            {
                var bare = new byte[prefix.Length + 1];
                prefix.CopyTo(bare, 0);
                bare[^1] = (byte)'}';
                return bare;
            }
            var image = new byte[prefix.Length + body.Length];
            prefix.CopyTo(image, 0);
            image[prefix.Length] = (byte)',';
            body[1..].CopyTo(image.AsSpan(prefix.Length + 1));
            return image;
        }

        /// <summary>
        /// The records the command's events carry (its "after" image), as a JSON array; null when it changed nothing.
        /// <paramref name="next"/> is where the search starts, and ends past the command's events: a batch's events are in
        /// sequence order, so auditing every command of a batch walks its events once. A negative cursor scans them all
        /// (a batch whose events are not in order).
        /// </summary>
        public byte[]? After(long sequence, IReadOnlyList<EngineEvent> events, ref int next)
        {
            var scan = next < 0;
            var i = scan ? 0 : next;
            if (!scan) while (i < events.Count && events[i].Sequence < sequence) i++;
            var any = false;
            for (; i < events.Count && (scan || events[i].Sequence == sequence); i++)
            {
                var e = events[i];
                if (e.Sequence != sequence || Record(e) is not { } record) continue;
                if (!any)
                {
                    Start();
                    _json.WriteStartArray();
                    any = true;
                }
                // Each record by its own type, as an array of objects would be: the same members, no list to build. A trade
                // and a ledger entry, the most frequent records, by hand (the same bytes, AuditRecordImage).
                if (record is TradeRecord trade) AuditRecordImage.Write(_json, trade);
                else if (record is LedgerEntry entry) AuditRecordImage.Write(_json, entry);
                else JsonSerializer.Serialize(_json, record, record.GetType(), Json);
            }
            if (!scan) next = i;
            if (!any) return null;
            _json.WriteEndArray();
            return Take();
        }

        private void Start()
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
        }

        private byte[] Take()
        {
            _json.Flush();
            return _buffer.WrittenSpan.ToArray();
        }
    }

    private static object? Record(EngineEvent e) => e switch
    {
        TradeEvent t => t.Trade,
        AccountEvent a => a.Account.Profile,
        BalanceEvent b => b.Entry,
        SymbolEvent s => s.Symbol,
        SymbolGroupEvent g => g.SymbolGroup,
        GroupEvent g => g.Group,
        NotificationEvent n => n.Notification,
        DeskEvent d => d.Desk,
        CustomerEvent c => c.Customer with { PasswordHash = "" },
        ServerConfigEvent s => s.Config,
        _ => null,
    };

    private static void OmitEmptyStringsKeepEnums(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            // A custom predicate replaces the default-value rule for that member.
            if (property.PropertyType == typeof(string)) property.ShouldSerialize = static (_, value) => !string.IsNullOrEmpty((string?)value);
            else if (property.PropertyType.IsEnum) property.ShouldSerialize = static (_, _) => true;
        }
    }
}
