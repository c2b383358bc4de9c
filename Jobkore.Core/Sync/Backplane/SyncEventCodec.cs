using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobkore.Core.Sync.Backplane;

/// <summary>
/// An event as the backplane sends it: one body, or several parts, each fitting one NOTIFY payload; <c>AsReload</c> when
/// it was too large and could not be split, so its body is a <see cref="SyncEventsMissed"/> of its business instead.
/// </summary>
internal sealed record SyncEventBodies(int BusinessId, IReadOnlyList<string> Bodies, bool AsReload = false);

/// <summary>
/// One NOTIFY payload, read: who sent it, its place in that instance's order, and the event (or part) it carries; the
/// event is null when its type is one this version does not know (an instance of a newer version sent it).
/// </summary>
internal sealed record SyncEventMessage(string Instance, long Sequence, int BusinessId, string Type, int Part, int Parts, SyncEvent? Event);

/// <summary>
/// The backplane's wire format (System.Text.Json): an event is its type's name and its fields, in a body that fits one
/// NOTIFY payload (PostgreSQL takes fewer than 8000 bytes), which the sender wraps with its instance and a sequence
/// number. A <see cref="SyncRunSending"/> too large for one is split into parts by its invoice ids, made whole again by
/// <see cref="Merge"/>; any other event too large is sent as a <see cref="SyncEventsMissed"/> of its business, so the
/// other instances' pages still reload rather than miss it.
/// </summary>
internal static class SyncEventCodec
{
    /// <summary>PostgreSQL's limit for a NOTIFY payload (its default page size of 8192 bytes, less its own bookkeeping).</summary>
    public const int MaxPayloadBytes = 7999;

    /// <summary>A body's limit, leaving room for the envelope: the instance id (32 characters) and the sequence number.</summary>
    public const int MaxBodyBytes = 7800;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(), new IdSetConverter() } };

    private static readonly Dictionary<string, Type> s_types = new[]
    {
        typeof(SyncStatusChanged), typeof(SyncRunStarted), typeof(SyncRunSending), typeof(SyncRunProgress), typeof(SyncRunFinished), typeof(SyncEventsMissed),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The event types the codec knows, by name.</summary>
    public static IEnumerable<Type> Types => s_types.Values;

    /// <summary>The event's bodies, in order; each at most <paramref name="maxBodyBytes"/> bytes of UTF-8.</summary>
    public static SyncEventBodies Encode(SyncEvent syncEvent, int maxBodyBytes = MaxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(syncEvent);
        var whole = Body(syncEvent, 0, 1);
        if (Encoding.UTF8.GetByteCount(whole) <= maxBodyBytes)
        {
            return new(syncEvent.BusinessId, [whole]);
        }

        return syncEvent is SyncRunSending { InvoiceIds.Count: > 1 } sending
            ? new(syncEvent.BusinessId, Split(sending, maxBodyBytes))
            : new(syncEvent.BusinessId, [Body(new SyncEventsMissed(syncEvent.BusinessId), 0, 1)], AsReload: true);
    }

    /// <summary>The NOTIFY payload of one body: the body with the sending instance and its sequence number.</summary>
    public static string Payload(string instance, long sequence, string body)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("instance", instance);
            writer.WriteNumber("sequence", sequence);
            writer.WritePropertyName("message");
            writer.WriteRawValue(body, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenCount <= MaxPayloadBytes
            ? Encoding.UTF8.GetString(buffer.WrittenSpan)
            : throw new InvalidOperationException($"A backplane payload of {buffer.WrittenCount} bytes is over PostgreSQL's {MaxPayloadBytes}.");
    }

    /// <summary>Reads a payload; false when it is not one of ours (or is damaged).</summary>
    public static bool TryDecode(string payload, out SyncEventMessage? message)
    {
        message = null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var body = root.GetProperty("message");
            var type = body.GetProperty("type").GetString() ?? "";
            var businessId = body.GetProperty("businessId").GetInt32();
            var part = body.GetProperty("part").GetInt32();
            var parts = body.GetProperty("parts").GetInt32();
            var syncEvent = s_types.TryGetValue(type, out var eventType) ? (SyncEvent?)body.GetProperty("event").Deserialize(eventType, s_json) : null;
            if (parts < 1 || part < 0 || part >= parts || (syncEvent is not null && syncEvent.BusinessId != businessId))
            {
                return false;
            }

            message = new(root.GetProperty("instance").GetString() ?? "", root.GetProperty("sequence").GetInt64(), businessId, type, part, parts, syncEvent);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The event whose parts these are, in order.</summary>
    public static SyncEvent Merge(IReadOnlyList<SyncEvent> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0 || !parts.All(p => p is SyncRunSending && p.BusinessId == parts[0].BusinessId))
        {
            throw new InvalidOperationException("Only the parts of one SyncRunSending can be merged.");
        }

        var ids = new HashSet<int>();
        foreach (SyncRunSending part in parts)
        {
            ids.UnionWith(part.InvoiceIds);
        }

        return new SyncRunSending(parts[0].BusinessId, ids);
    }

    /// <summary>As many parts as needed, each holding as many ids as surely fit: the widest id's digits and a comma each.</summary>
    private static string[] Split(SyncRunSending sending, int maxBodyBytes)
    {
        var overhead = Encoding.UTF8.GetByteCount(Body(sending with { InvoiceIds = new HashSet<int>() }, int.MaxValue, int.MaxValue));
        var widest = sending.InvoiceIds.Max(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture).Length) + 1;
        var perPart = Math.Max(1, (maxBodyBytes - overhead) / widest);
        var chunks = sending.InvoiceIds.Chunk(perPart).ToArray();
        return [.. chunks.Select((ids, part) => Body(new SyncRunSending(sending.BusinessId, ids.ToHashSet()), part, chunks.Length))];
    }

    private static string Body(SyncEvent syncEvent, int part, int parts)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", syncEvent.GetType().Name);
            writer.WriteNumber("businessId", syncEvent.BusinessId);
            writer.WriteNumber("part", part);
            writer.WriteNumber("parts", parts);
            writer.WritePropertyName("event");
            JsonSerializer.Serialize(writer, syncEvent, syncEvent.GetType(), s_json);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A set of ids as a JSON array: System.Text.Json writes an <see cref="IReadOnlySet{T}"/> but cannot read one back.</summary>
    private sealed class IdSetConverter : JsonConverter<IReadOnlySet<int>>
    {
        public override IReadOnlySet<int> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<HashSet<int>>(ref reader, options) ?? throw new JsonException("A set of ids is null.");

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<int> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var id in value)
            {
                writer.WriteNumberValue(id);
            }

            writer.WriteEndArray();
        }
    }
}
