using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Matching;
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

    /// <summary>The customers linked to a client, kept in step as clients are linked: the matcher never offers them.</summary>
    private readonly HashSet<string> _linkedCustomers = new(StringComparer.Ordinal);

    /// <summary>The company's customers indexed for comparison, once a run and only once a client not linked yet needs it.</summary>
    private CustomerMatching? _matching;

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

    /// <summary>
    /// The writes that bring a page's clients to QuickBooks as customers; links, clashes and holds are recorded at once.
    /// A client not linked yet that has no customer of its name is first compared with the company's customers: a
    /// likely match waits for an admin's review, and the admin's choice (link to a customer, create one, or keep the
    /// client out of QuickBooks) is what is done.
    /// </summary>
    public async Task<List<SyncWrite>> ClientWritesAsync(SyncPage page, ILookup<string, QboCustomer> existing, CancellationToken cancellationToken)
    {
        _linkedQboIds = null;
        _linkedCustomers.Clear();
        _linkedCustomers.UnionWith(run.Recorder.Records.Where(r => r.EntityType == SyncEntityType.Client && r.QboId != null).Select(r => r.QboId!));
        var writes = new List<SyncWrite>();
        foreach (var client in page.Clients)
        {
            var desired = QboProjection.Customer(client);
            var record = run.Recorder.RecordFor(SyncEntityType.Client, client.Id);
            var found = existing[desired.DisplayName!].FirstOrDefault();
            if (record.QboId is null && found is null)
            {
                var match = page.CustomerMatches.GetValueOrDefault(client.Id);
                switch (match?.State)
                {
                    case CustomerMatchState.DontSync:
                        // Kept out of QuickBooks since the backlog was listed.
                        await run.Recorder.AdjustTotalAsync(-1);
                        continue;
                    case CustomerMatchState.Link:
                        found = (await run.Lookups.CustomersAsync(cancellationToken)).FirstOrDefault(c => c.Id == match.ChosenQboId);
                        if (found is null)
                        {
                            await run.Recorder.HoldForReviewAsync(record, client.Id, match.Candidates.Where(c => c.QboId != match.ChosenQboId).ToList(),
                                $"The QuickBooks customer chosen for '{desired.DisplayName}' is no longer in QuickBooks, so it was not sent. Review its match again in Settings › Integrations › QuickBooks › Customer matches.");
                            continue;
                        }

                        break;
                    case CustomerMatchState.CreateNew:
                        break;
                    case CustomerMatchState.ToReview:
                        await run.Recorder.HoldForReviewAsync(record, client.Id, null, SyncErrorMessages.HeldForReview(desired.DisplayName!, match.Candidates));
                        continue;
                    default:
                        _matching ??= new CustomerMatching(await run.Lookups.CustomersAsync(cancellationToken), _linkedCustomers);
                        var (kind, _, candidates) = _matching.Match(client);
                        if (kind == CustomerMatchKind.Likely)
                        {
                            await run.Recorder.HoldForReviewAsync(record, client.Id, candidates, SyncErrorMessages.HeldForReview(desired.DisplayName!, candidates));
                            continue;
                        }

                        break;
                }
            }

            var write = await LinkOrWriteAsync(record, SyncContent.Hash(client), SyncSubject.Named("client", desired.DisplayName!), QboEntityKind.Customer, desired.DisplayName!,
                desired, found, () => Task.FromResult(desired));
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

        if (record.EntityType == SyncEntityType.Client)
        {
            _linkedCustomers.Add(found.Id!);
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
