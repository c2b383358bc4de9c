using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// A company's lookups (an invoice's customer and number, names) are indexes its writes keep, so they cannot go stale:
/// the invoice index used to be rebuilt only when the number of invoices changed, and missed an add plus a remove.
/// </summary>
public sealed class SandboxCompanyTests
{
    private static JsonObject Invoice(string id, string customer, string number) =>
        new() { ["Id"] = id, ["CustomerRef"] = new JsonObject { ["value"] = customer }, ["DocNumber"] = number };

    [Fact]
    public void InvoicesOf_OneInvoiceLoadedAndAnotherRemoved_FindsTheLoadedOneOnly()
    {
        var sut = new SandboxCompany("1", "Test company");
        sut.Put("Invoice", Invoice("10", "1", "1001"));
        sut.InvoicesOf("1").Count().ShouldBe(1);

        sut.Restore("Invoice", Invoice("11", "2", "1002"));
        sut.Remove("Invoice", "10");

        sut.InvoicesOf("1").ShouldBeEmpty();
        sut.InvoicesOf("2").Select(i => (string?)i["Id"]).ShouldBe(["11"]);
        sut.DocNumberUsed("1001", null).ShouldBeFalse();
        sut.DocNumberUsed("1002", null).ShouldBeTrue();
        sut.DocNumberUsed("1002", "11").ShouldBeFalse();
    }

    [Fact]
    public void DocNumberUsed_InvoiceReplacedWithAnotherNumberAndCustomer_KnowsOnlyTheNewOnes()
    {
        var sut = new SandboxCompany("1", "Test company");
        sut.Put("Invoice", Invoice("10", "1", "1001"));
        sut.DocNumberUsed("1001", null).ShouldBeTrue();

        sut.Restore("Invoice", Invoice("10", "2", "2001"));

        sut.DocNumberUsed("1001", null).ShouldBeFalse();
        sut.DocNumberUsed("2001", null).ShouldBeTrue();
        sut.InvoicesOf("1").ShouldBeEmpty();
        sut.InvoicesOf("2").Count().ShouldBe(1);
    }
}
