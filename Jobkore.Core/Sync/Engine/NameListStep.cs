using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Projection;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Engine;

/// <summary>
/// Catalog items and clients, QuickBooks' name lists: a record not linked yet is linked to QuickBooks' record of the
/// same name (active or not) and updated if it differs, otherwise created; a linked one is updated. Two Jobkore
/// records QuickBooks would take for one name never share one QuickBooks record: the second stops with a message.
/// </summary>
internal sealed class NameListStep(SyncStepContext run)
{
    /// <summary>The QuickBooks names this run sends or links ("Customer:name" → the name), compared as QuickBooks does: ignoring case.</summary>
    private readonly Dictionary<string, string> _namesInRun = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The QuickBooks records already linked to a Jobkore record, built at a page's first link by name.</summary>
    private HashSet<(SyncEntityType, string)>? _linkedQboIds;

    /// <summary>The writes that bring a page's catalog items to QuickBooks; links and clashes are recorded at once.</summary>
    public async Task<List<SyncWrite>> ItemWritesAsync(IReadOnlyList<CatalogItem> items, ILookup<string, QboItem> existing, CancellationToken cancellationToken)
    {
        _linkedQboIds = null;
        var writes = new List<SyncWrite>();
        foreach (var item in items)
        {
            var desired = QboProjection.Item(item);
            var record = run.Recorder.RecordFor(SyncEntityType.CatalogItem, item.Id);
            var write = await LinkOrWriteAsync(record, SyncContent.Hash(item), SyncSubject.Named("catalog item", desired.Name!), QboEntityKind.Item, desired.Name!, desired,
                existing[desired.Name!].FirstOrDefault(),
                async () => desired with { Type = "Service", IncomeAccountRef = new QboRef(await run.Lookups.IncomeAccountAsync(cancellationToken)) });
            if (write is not null)
            {
                writes.Add(write);
            }
        }

        return writes;
    }

    /// <summary>The writes that bring a page's clients to QuickBooks as customers; links and clashes are recorded at once.</summary>
    public async Task<List<SyncWrite>> ClientWritesAsync(IReadOnlyList<Client> clients, ILookup<string, QboCustomer> existing)
    {
        _linkedQboIds = null;
        var writes = new List<SyncWrite>();
        foreach (var client in clients)
        {
            var desired = QboProjection.Customer(client);
            var record = run.Recorder.RecordFor(SyncEntityType.Client, client.Id);
            var write = await LinkOrWriteAsync(record, SyncContent.Hash(client), SyncSubject.Named("client", desired.DisplayName!), QboEntityKind.Customer, desired.DisplayName!,
                desired, existing[desired.DisplayName!].FirstOrDefault(), () => Task.FromResult(desired));
            if (write is not null)
            {
                writes.Add(write);
            }
        }

        return writes;
    }

    /// <summary>The write for one name-list record, or null when there is nothing to send (linked as it is, or stopped with a message).</summary>
    private async Task<SyncWrite?> LinkOrWriteAsync<T>(SyncRecord record, string hash, SyncSubject what, QboEntityKind entity, string name, T desired, T? found,
        Func<Task<T>> forCreate)
        where T : QboEntity
    {
        var key = $"{entity}:{name}";
        if (!_namesInRun.TryAdd(key, name))
        {
            await run.Recorder.FailAsync(record, SyncErrorMessages.SameQboName(what, _namesInRun[key]), SyncErrorMessages.SameNameCode);
            return null;
        }

        if (record.QboId is not null)
        {
            return SyncWrites.Update(record, hash, what, entity, desired);
        }

        if (found is null)
        {
            return SyncWrites.Create(record, hash, what, entity, await forCreate());
        }

        _linkedQboIds ??= [.. run.Recorder.Records.Where(r => r.QboId != null).Select(r => (r.EntityType, r.QboId!))];
        if (!_linkedQboIds.Add((record.EntityType, found.Id!)))
        {
            var foundName = found switch { QboCustomer c => c.DisplayName, QboItem i => i.Name, _ => null };
            await run.Recorder.FailAsync(record, SyncErrorMessages.SameQboName(what, foundName ?? name), SyncErrorMessages.SameNameCode);
            return null;
        }

        var update = SyncWrites.AfterLink(record, hash, what, entity, desired, found);
        if (update is null)
        {
            await run.Recorder.LinkAsync(record, entity, found, hash, SyncWrites.Held(entity, desired),
                $"Linked to the {what.Kind switch { "client" => "customer", _ => "product or service" }} of the same name in QuickBooks, which holds the same.");
        }

        return update;
    }
}
