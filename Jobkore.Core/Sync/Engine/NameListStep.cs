using System.Text.Json.Nodes;
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

    /// <summary>Renames held back until every page's names are sent (<see cref="FlushRenamesAsync"/>).</summary>
    private readonly List<SyncWrite> _renamesLeft = [];

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

    /// <summary>
    /// Sends a page's name-list writes, but for the renames of linked records to a name another linked record holds in
    /// QuickBooks: QuickBooks refuses a name in use (6240) even while a write in the same request renames its holder,
    /// and the holder's own rename may be on a later page, so those go once every page's names are sent (<see cref="FlushRenamesAsync"/>).
    /// </summary>
    public async Task FlushAsync(List<SyncWrite> writes, CancellationToken cancellationToken)
    {
        var renames = writes.Where(w => w.QboId is not null && HeldName(w.Record) is { } held && !string.Equals(held, NewName(w), StringComparison.OrdinalIgnoreCase)).ToList();
        if (renames.Count > 0)
        {
            var held = HeldNames();
            var later = renames.Where(w => held.TryGetValue($"{w.Entity}:{NewName(w)}", out var holder) && holder != w.QboId).ToHashSet(ReferenceEqualityComparer.Instance);
            _renamesLeft.AddRange(renames.Where(later.Contains));
            writes = [.. writes.Where(w => !later.Contains(w))];
        }

        await run.Dispatcher.FlushAsync(writes, cancellationToken);
    }

    /// <summary>
    /// Sends the renames held back by <see cref="FlushAsync"/>, each after the one whose record holds its new name; in a
    /// ring of them (two clients swapping names), one first moves aside under a name no one holds. A rename whose name
    /// is held by a record not renamed in this run goes anyway, and QuickBooks' refusal says why.
    /// </summary>
    public async Task FlushRenamesAsync(CancellationToken cancellationToken)
    {
        var waiting = _renamesLeft;
        var holders = new Dictionary<SyncWrite, SyncWrite>(ReferenceEqualityComparer.Instance);
        foreach (var rename in waiting)
        {
            if (waiting.FirstOrDefault(h => !ReferenceEquals(h, rename) && h.Entity == rename.Entity && Holds(h, rename)) is { } holder)
            {
                holders[rename] = holder;
            }
        }

        var movedAside = new HashSet<SyncWrite>(ReferenceEqualityComparer.Instance);
        while (waiting.Count > 0)
        {
            // A rename goes once its name's holder has given the name up (renamed, or moved aside) or was never to.
            var ready = waiting.Where(w => !holders.TryGetValue(w, out var holder) || !waiting.Contains(holder) || !Holds(holder, w)).ToList();
            if (ready.Count > 0)
            {
                waiting.RemoveAll(ready.Contains);
                var sending = new List<SyncWrite>();
                foreach (var rename in ready)
                {
                    if (holders.TryGetValue(rename, out var holder) && Holds(holder, rename))
                    {
                        // Its holder's own write was refused or is in doubt: this one cannot go until that one does.
                        await run.Recorder.FailAsync(rename.Record, SyncErrorMessages.NameStillHeld(rename.What, NewName(rename)!, holder.What), SyncErrorMessages.WaitsForAnotherCode);
                    }
                    else
                    {
                        sending.Add(movedAside.Contains(rename) ? WithSyncToken(rename, rename.Record.QboSyncToken) : rename);
                    }
                }

                await run.Dispatcher.FlushAsync(sending, cancellationToken);
                continue;
            }

            // Every rename left waits for another: follow them to one on a ring, and move its name aside.
            var seen = new HashSet<SyncWrite>(ReferenceEqualityComparer.Instance);
            var ring = waiting[0];
            while (seen.Add(ring))
            {
                ring = holders[ring];
            }

            var syncToken = ring.Record.QboSyncToken;
            await run.Dispatcher.FlushAsync([MoveAside(ring)], cancellationToken);
            if (ring.Record.QboSyncToken == syncToken)
            {
                // Not moved (refused, or in doubt and kept in the journal, either said on the record): its own write
                // waits for the next run, and so do the renames into its name.
                waiting.Remove(ring);
            }
            else
            {
                movedAside.Add(ring);
            }
        }
    }

    /// <summary>Whether QuickBooks still holds <paramref name="rename"/>'s new name for <paramref name="holder"/>'s record, as far as Jobkore has seen.</summary>
    private static bool Holds(SyncWrite holder, SyncWrite rename) => string.Equals(HeldName(holder.Record), NewName(rename), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The QuickBooks id of each linked client and item by the name QuickBooks holds for it ("Customer:name", as
    /// <see cref="_namesInRun"/> is keyed), compared as QuickBooks does: ignoring case.
    /// </summary>
    private Dictionary<string, string> HeldNames()
    {
        var held = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in run.Recorder.Records.Where(r => r.QboId != null && r.EntityType is SyncEntityType.Client or SyncEntityType.CatalogItem))
        {
            if (HeldName(record) is { } name)
            {
                held[$"{(record.EntityType == SyncEntityType.Client ? QboEntityKind.Customer : QboEntityKind.Item)}:{name}"] = record.QboId!;
            }
        }

        return held;
    }

    /// <summary>The sparse update that moves <paramref name="write"/>'s record's name aside for a moment.</summary>
    private static SyncWrite MoveAside(SyncWrite write)
    {
        var held = HeldName(write.Record)!;
        var aside = QboNames.Aside(held, write.Entity == QboEntityKind.Customer ? QboNames.MaxDisplayName : QboNames.MaxItemName);
        var body = new JsonObject { ["Id"] = write.QboId, ["SyncToken"] = write.Body["SyncToken"]?.DeepClone(), ["sparse"] = true, [NameField(write.Entity)] = aside };
        // The hash is what was pushed before: whatever records the answer, the record still waits for its own write.
        return new SyncWrite(write.Record, write.Record.PushedHash ?? string.Empty, write.What, QboOperation.Update, write.Entity, body)
        {
            Held = write.Record.HeldFields,
            Interim = true,
            Note = $"Renamed in QuickBooks to '{aside}' for a moment, so that another {write.What.Kind} could take its name '{held}' before it takes '{NewName(write)}'.",
        };
    }

    private static SyncWrite WithSyncToken(SyncWrite write, string? syncToken)
    {
        var body = (JsonObject)write.Body.DeepClone();
        body["SyncToken"] = syncToken;
        return write with { Body = body };
    }

    private static string NameField(QboEntityKind entity) => entity == QboEntityKind.Customer ? "DisplayName" : "Name";

    private static string? NewName(SyncWrite write) => write.Body[NameField(write.Entity)]?.GetValue<string>();

    /// <summary>The name QuickBooks held when the record was last written or seen; null when not known.</summary>
    private static string? HeldName(SyncRecord record) => QboOwnedValues.FromJson(record.QboFields)?["name"];

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
