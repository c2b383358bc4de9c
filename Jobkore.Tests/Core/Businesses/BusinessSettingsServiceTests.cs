using Jobkore.Core.Businesses;
using Jobkore.Core.Domain;
using Jobkore.Core.Security;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Businesses;

public sealed class BusinessSettingsServiceTests : DatabaseTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task UpdateAsync_Staff_IsRefusedOnTheServerAndNothingChanges()
    {
        await using var scope = Db.CreateScope();
        scope.Get<TestCurrentUser>().IsAdmin = false;
        var sut = scope.Get<BusinessSettingsService>();

        var ex = await Should.ThrowAsync<NotAllowedException>(() => sut.UpdateAsync("Renamed", "CAD", "America/Toronto", s_ct));

        ex.Message.ShouldBe("Only an admin can change the business settings. Ask an admin of your business.");
        (await sut.CanChangeAsync()).ShouldBeFalse();
        await using var check = Db.CreateScope();
        check.Get<BusinessDirectory>().Find(Db.Business.Id)!.Name.ShouldBe("Test Plumbing");
    }

    [Fact]
    public async Task UpdateAsync_Admin_SavesAndEveryScopeSeesTheNewProfile()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<BusinessSettingsService>();

        var updated = await sut.UpdateAsync("  Acme Heating ", "cad", "America/Toronto", s_ct);

        updated.ShouldBe(new BusinessProfile(Db.Business.Id, "Acme Heating", "CAD", "America/Toronto") { CreatedAt = Db.Business.CreatedAt });
        await using var other = Db.CreateScope();
        other.Get<BusinessDirectory>().Find(Db.Business.Id).ShouldBe(updated);
    }

    [Fact]
    public async Task UpdateAsync_UnknownTimeZone_SaysWhatToUse()
    {
        await using var scope = Db.CreateScope();

        (await Should.ThrowAsync<DomainRuleException>(() => scope.Get<BusinessSettingsService>().UpdateAsync("Acme", "USD", "Nowhere/Land", s_ct)))
            .Message.ShouldBe("'Nowhere/Land' is not a known time zone; use an IANA id such as America/Chicago.");
    }
}
