using System.Text.Json;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Engine;
using Jobkore.Core.Sync.Journal;
using Jobkore.Core.SyncState;

namespace Jobkore.Tests.Core.Sync;

/// <summary>What QuickBooks' answers mean for a journaled write, and journal entries written by an earlier version.</summary>
public sealed class SyncWriteOutcomeTests
{
    [Theory]
    [InlineData("120")]
    [InlineData("3100")]
    [InlineData("3200")]
    [InlineData("100")]
    public void OfBatchItem_AnAuthorizationFaultOfOneItem_RefusesThatWrite_AndDoesNotEndTheRun(string code)
    {
        var fault = new QboFault([new QboError("Authorization Failure", "AuthorizationFault", code, null)], "AuthorizationFault");

        var outcome = WriteOutcome.OfBatchItem(QboFaults.FromFault(200, fault, null));

        outcome.Kind.ShouldBe(WriteOutcomeKind.Rejected);
    }

    [Fact]
    public void OfBatchItem_APassingFaultOfOneItem_RefusesItForNow_NotInDoubt_SinceTheBatchsAnswerIsFinal()
    {
        var fault = new QboFault([new QboError("An application error has occurred", "System Failure Error", "10000", null)], "SystemFault");

        var outcome = WriteOutcome.OfBatchItem(QboFaults.FromFault(200, fault, null));

        outcome.Kind.ShouldBe(WriteOutcomeKind.Rejected);
        outcome.Passing.ShouldBeTrue();
    }

    [Fact]
    public void Deserialize_AWriteOfABatchSavedByTheEngineBeforeTheJournal_ReadsWithHeldFieldsUnknown()
    {
        // What SyncBatches.Members held before the WriteJournal migration copied it into SyncJournal.Writes.
        var old = JsonSerializer.Serialize(new[] { new { BId = "1", EntityType = SyncEntityType.Client, EntityId = 7, Hash = "hash", What = SyncSubject.Named("client", "X"),
            Operation = "Update", Entity = "Customer", ExpectedTotal = (decimal?)null, RemoveOnSuccess = false } }, QboJson.Options);

        var write = JournaledWrite.Deserialize(old).Single();

        write.Operation.ShouldBe(QboOperation.Update);
        write.Entity.ShouldBe(QboEntityKind.Customer);
        write.Held.ShouldBeNull("what QuickBooks holds is not known: the next update that empties a field reads the record first");
    }
}
