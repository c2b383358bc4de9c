using Jobkore.Core.QuickBooks.Queries;

namespace Jobkore.Tests.Core.Sync;

public sealed class SyncEngineLookupTests
{
    [Fact]
    public void LookupChunks_ShortNames_FortyToAQuery()
    {
        var names = Enumerable.Range(1, 100).Select(i => $"Client {i}").ToList();

        var chunks = Jobkore.Core.Sync.Engine.SyncLookups.Chunks(names).ToList();

        chunks.Select(c => c.Count).ShouldBe([40, 40, 20]);
        chunks.SelectMany(c => c).ShouldBe(names);
    }

    [Fact]
    public void LookupChunks_LongNames_KeepEachQueryStringShort()
    {
        // 100-character names of accented letters: each character is 6 characters once URL-encoded.
        var names = Enumerable.Range(1, 40).Select(i => $"{i:000}" + new string('é', 97)).ToList();

        var chunks = Jobkore.Core.Sync.Engine.SyncLookups.Chunks(names).ToList();

        chunks.Count.ShouldBeGreaterThan(1);
        chunks.SelectMany(c => c).ShouldBe(names);
        foreach (var chunk in chunks)
        {
            QboQuery.SelectAll("Customer").WhereIn("DisplayName", chunk).IncludingInactive().Page(1, 1000).ToQueryParameter().Length.ShouldBeLessThan(8_000);
        }
    }
}
