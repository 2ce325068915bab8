using System.Text.Json;
using Dealwire.ManagerApi.Protocol;

namespace Dealwire.ManagerApi.Wire;

/// <summary>The two layouts of the Manager API (see docs/manager-api.md, "Layout rule").</summary>
public enum WireLayout
{
    /// <summary>The seed's layout: <c>success.&lt;payload&gt;.&lt;event&gt;.data[]</c>, ids as decimal strings.</summary>
    Seed = 0,
    /// <summary>The newer layout: <c>&lt;name&gt;_response.success|error</c>, <c>&lt;topic&gt;.snapshot|update</c>, id objects.</summary>
    Newer = 1,
}

/// <summary><c>id_representation</c> of the newer layout.</summary>
public enum IdRepresentation
{
    UuidOnly = 0,
    NumIdPreferred = 1,
}

/// <summary>How one connection wants its messages written. Three exist; events are serialized once per dialect.</summary>
public sealed class WireDialect
{
    public static readonly WireDialect Seed = new(WireLayout.Seed, IdRepresentation.UuidOnly, 0);
    public static readonly WireDialect NewerUuidOnly = new(WireLayout.Newer, IdRepresentation.UuidOnly, 1);
    public static readonly WireDialect NewerNumIdPreferred = new(WireLayout.Newer, IdRepresentation.NumIdPreferred, 2);

    public static readonly IReadOnlyList<WireDialect> All = [Seed, NewerUuidOnly, NewerNumIdPreferred];

    private WireDialect(WireLayout layout, IdRepresentation ids, int index)
    {
        Layout = layout;
        Ids = ids;
        Index = index;
    }

    public WireLayout Layout { get; }

    public IdRepresentation Ids { get; }

    /// <summary>Slot of this dialect in per-dialect caches.</summary>
    public int Index { get; }

    public bool IsSeed => Layout == WireLayout.Seed;

    public static WireDialect Newer(IdRepresentation ids) => ids == IdRepresentation.NumIdPreferred ? NewerNumIdPreferred : NewerUuidOnly;

    /// <summary>Writes an entity id: a decimal string (seed) or <c>{"uuid","num_id"}</c> (newer).</summary>
    public void WriteId(Utf8JsonWriter w, string name, EntityKind kind, long number)
    {
        if (IsSeed)
        {
            w.WriteString(name, ManagerIds.SeedId(number));
            return;
        }
        w.WritePropertyName(name);
        WriteIdValue(w, kind, number);
    }

    public void WriteIdValue(Utf8JsonWriter w, EntityKind kind, long number)
    {
        if (IsSeed)
        {
            w.WriteStringValue(ManagerIds.SeedId(number));
            return;
        }
        w.WriteStartObject();
        w.WriteString("uuid", ManagerIds.ToUuid(kind, number));
        if (Ids == IdRepresentation.NumIdPreferred) w.WriteNumber("num_id", number);
        else w.WriteNull("num_id");
        w.WriteEndObject();
    }

    /// <summary>An optional id: null when <paramref name="number"/> is 0.</summary>
    public void WriteOptionalId(Utf8JsonWriter w, string name, EntityKind kind, long number)
    {
        if (number <= 0) w.WriteNull(name);
        else WriteId(w, name, kind, number);
    }

    /// <summary>Reads an id the client sent, in this dialect's shape.</summary>
    public IdReadStatus ReadId(EntityKind kind, JsonElement value, out long number) =>
        IsSeed ? ManagerIds.ReadSeed(value, out number) : ManagerIds.ReadNewer(kind, value, out number);
}
