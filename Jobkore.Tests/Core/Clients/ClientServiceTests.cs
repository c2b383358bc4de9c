using Jobkore.Core.Clients;
using Jobkore.Core.Common;
using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Clients;

public sealed class ClientServiceTests : DatabaseTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task CreateAndGet_KeepsAddressAndAwkwardCharacters()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<ClientService>();
        var details = new ClientDetails("Harbor Lofts: Unit 4", "Smith & Sons", "ops@harbor.example", "(555) 010-2000", new PostalAddress("1 Pier Rd", "Suite 2", "Bayside", "IL", "62703", "USA"));

        var id = await sut.CreateAsync(details, s_ct);

        (await sut.GetAsync(id, s_ct)).ShouldBe(details);
    }

    [Fact]
    public async Task ListAsync_SearchesNameCompanyEmailAndPhone_CaseInsensitively()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<ClientService>();
        await sut.CreateAsync(Drafts.Client("Maria O'Brien"), s_ct);
        await sut.CreateAsync(Drafts.Client("Bob") with { CompanyName = "O'Brien Holdings" }, s_ct);
        await sut.CreateAsync(Drafts.Client("Yuki") with { Phone = "555-0199" }, s_ct);

        (await sut.ListAsync(new PageRequest(Search: "o'brien"), s_ct)).Items.Select(c => c.DisplayName).ShouldBe(["Bob", "Maria O'Brien"]);
        (await sut.ListAsync(new PageRequest(Search: "0199"), s_ct)).Items.Select(c => c.DisplayName).ShouldBe(["Yuki"]);
    }

    [Fact]
    public async Task UpdateAsync_MissingClient_SaysSo()
    {
        await using var scope = Db.CreateScope();

        (await Should.ThrowAsync<DomainRuleException>(() => scope.Get<ClientService>().UpdateAsync(999, Drafts.Client("X"), s_ct)))
            .Message.ShouldBe("This client no longer exists.");
    }
}
