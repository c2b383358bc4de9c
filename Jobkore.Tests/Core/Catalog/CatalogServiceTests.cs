using Jobkore.Core.Catalog;
using Jobkore.Core.Common;
using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Catalog;

public sealed class CatalogServiceTests : DatabaseTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task CreateAsync_NameTakenInAnyCase_IsRefusedWithTheName()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<CatalogService>();
        await sut.CreateAsync(new CatalogItemDetails("Drain cleaning", null, 245m, false, true), s_ct);

        var ex = await Should.ThrowAsync<DomainRuleException>(() => sut.CreateAsync(new CatalogItemDetails("DRAIN CLEANING", null, 1m, false, true), s_ct));

        ex.Message.ShouldBe("The catalog already has an item named 'DRAIN CLEANING'. Item names must be unique.");
    }

    [Fact]
    public async Task ListAsync_ActiveOnlyAndSortByPrice()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<CatalogService>();
        await sut.CreateAsync(new CatalogItemDetails("Cheap", null, 2m, false, true), s_ct);
        await sut.CreateAsync(new CatalogItemDetails("Dear", null, 1000m, true, true), s_ct);
        await sut.CreateAsync(new CatalogItemDetails("Retired", null, 50m, false, false), s_ct);

        var all = await sut.ListAsync(new PageRequest(SortBy: CatalogService.SortKeys.UnitPrice, Descending: true), activeOnly: false, s_ct);
        var active = await sut.ListAsync(new PageRequest(SortBy: CatalogService.SortKeys.UnitPrice), activeOnly: true, s_ct);

        all.Items.Select(i => i.Name).ShouldBe(["Dear", "Retired", "Cheap"]);
        active.Items.Select(i => i.Name).ShouldBe(["Cheap", "Dear"]);
    }

    [Fact]
    public async Task UpdateAsync_ChangesPriceAndDeactivates()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<CatalogService>();
        var id = await sut.CreateAsync(new CatalogItemDetails("Valve", "Brass", 12m, true, true), s_ct);

        await sut.UpdateAsync(id, new CatalogItemDetails("Valve", "Brass ball valve", 14.5m, true, false), s_ct);

        (await sut.GetAsync(id, s_ct)).ShouldBe(new CatalogItemDetails("Valve", "Brass ball valve", 14.5m, true, false));
    }
}
