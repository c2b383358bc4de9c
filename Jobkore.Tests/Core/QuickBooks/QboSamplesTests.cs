using System.Text.Json;
using Jobkore.Core.QuickBooks;
using Jobkore.Core.QuickBooks.Models;

namespace Jobkore.Tests.Core.QuickBooks;

/// <summary>Every real response sample (Samples/, docs/quickbooks-api.md §8) reads into the client's models with the values QBO sent.</summary>
public sealed class QboSamplesTests
{
    private static T Read<T>(string file) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Core", "QuickBooks", "Samples", file)), QboJson.Options)
        ?? throw new InvalidOperationException($"{file} read as null");

    [Fact]
    public void Customer_ReadsIdsAsStringsAndNestedValues()
    {
        var sut = Read<QboResponse>("customer.json").Customer.ShouldNotBeNull();

        (sut.Id, sut.SyncToken, sut.DisplayName).ShouldBe(("2", "0", "Bill's Windsurf Shop"));
        sut.PrimaryEmailAddr!.Address.ShouldBe("Surf@Intuit.com");
        sut.BillAddr!.Latitude.ShouldBe("37.4307072");
        sut.Balance.ShouldBe(85.0m);
        sut.Domain.ShouldBe("QBO");
        sut.Sparse.ShouldBe(false);
        sut.MetaData!.CreateTime.ShouldBe(new DateTimeOffset(2014, 9, 11, 16, 49, 28, TimeSpan.FromHours(-7)));
    }

    [Fact]
    public void Invoice_ReadsLinesTaxAndComputedTotals()
    {
        var response = Read<QboResponse>("invoice.json");
        var sut = response.Invoice.ShouldNotBeNull();

        sut.DocNumber.ShouldBe("1037");
        sut.TxnDate.ShouldBe(new DateOnly(2014, 9, 19));
        sut.CustomerRef.ShouldBe(new QboRef("24", "Sonnenschein Family Store"));
        sut.Line!.Count.ShouldBe(4);
        sut.Line[0].SalesItemLineDetail!.ItemRef!.Value.ShouldBe("5");
        sut.Line[0].SalesItemLineDetail!.TaxCodeRef!.Value.ShouldBe("TAX");
        sut.Line[2].SalesItemLineDetail!.Qty.ShouldBe(5m);
        sut.Line[3].DetailType.ShouldBe("SubTotalLineDetail");
        sut.Line[3].SubTotalLineDetail.ShouldNotBeNull();
        sut.TxnTaxDetail!.TotalTax.ShouldBe(26.82m);
        (sut.TotalAmt, sut.Balance).ShouldBe((362.07m, 362.07m));
        sut.CustomerMemo!.Value.ShouldStartWith("Thank you");
        sut.LinkedTxn.ShouldBe([new QboLinkedTxn("100", "Estimate")]);
        response.Time.ShouldBe(new DateTimeOffset(2015, 7, 24, 10, 48, 27, 82, TimeSpan.FromHours(-7)));
    }

    [Fact]
    public void Payment_ReadsAppliedLinesAndIgnoresTheJaxbEcho()
    {
        var sut = Read<QboResponse>("payment.json").Payment.ShouldNotBeNull();

        (sut.TotalAmt, sut.UnappliedAmt).ShouldBe((65.0m, 10.0m));
        sut.DepositToAccountRef!.Value.ShouldBe("4");
        sut.Line!.Single().Amount.ShouldBe(55.0m);
        sut.Line!.Single().LinkedTxn.ShouldBe([new QboLinkedTxn("70", "Invoice")]);
    }

    [Fact]
    public void Account_ReadsTypeAndSubType()
    {
        var sut = Read<QboResponse>("account.json").Account.ShouldNotBeNull();

        (sut.Id, sut.Name, sut.AccountType, sut.AccountSubType, sut.Active).ShouldBe(("94", "MyJobs", "Accounts Receivable", "AccountsReceivable", (bool?)true));
    }

    [Fact]
    public void CompanyInfo_ReadsNameAndNameValues()
    {
        var sut = Read<QboResponse>("companyinfo.json").CompanyInfo.ShouldNotBeNull();

        sut.CompanyName.ShouldBe("Larry's Bakery");
        sut.NameValue!.ShouldContain(new QboNameValue("SubscriptionStatus", "PAID"));
    }

    [Fact]
    public void QueryResponses_ReadEntitiesAndPaging()
    {
        var customers = Read<QboQueryEnvelope>("query-response-customer.json").QueryResponse.ShouldNotBeNull();
        var items = Read<QboQueryEnvelope>("query-response-item.json").QueryResponse.ShouldNotBeNull();

        // The sample is trimmed to two customers; it keeps the maxResults of the original page.
        customers.Customer!.Count.ShouldBe(2);
        customers.MaxResults.ShouldBe(6);
        customers.StartPosition.ShouldBe(1);
        items.Item![0].Name.ShouldBe("Concrete");
        items.Item![0].IncomeAccountRef!.Value.ShouldBe("48");
        items.Item![0].Type.ShouldBe("Service");
    }

    [Fact]
    public void BatchResponse_ReadsPerItemFaultsAndQueryResults()
    {
        var sut = Read<QboBatchResponse>("batch-response.json");

        sut.BatchItemResponse.Select(i => i.BId).ShouldBe(["bid1", "bid2", "bid3", "bid4"]);
        sut.BatchItemResponse.Take(3).Select(i => i.Fault!.Error![0].Code).ShouldBe(["6240", "610", "5010"]);
        sut.BatchItemResponse[3].Fault.ShouldBeNull();
        sut.BatchItemResponse[3].QueryResponse!.SalesReceipt!.Single().DocNumber.ShouldBe("1003");
    }

    [Fact]
    public void CdcResponse_ReadsChangedAndDeletedRecords()
    {
        var sut = Read<QboCdcResponse>("cdc-response.json");

        var pages = sut.CdcResponse.Single().QueryResponse;
        pages[0].Customer!.Select(c => c.Id).ShouldBe(["63", "99"]);
        pages[1].TotalCount.ShouldBe(5);
        pages[1].Estimate![^1].Status.ShouldBe("Deleted");
    }

    [Fact]
    public void ValidationFault_ReadsCodeMessageAndDetail()
    {
        var sut = Read<QboFaultEnvelope>("fault-validation-duplicate-name.json").Fault.ShouldNotBeNull();

        sut.Type.ShouldBe("ValidationFault");
        sut.Error![0].Code.ShouldBe("6240");
        sut.Error![0].Message.ShouldBe("Duplicate Name Exists Error");
    }

    [Fact]
    public void TokenResponse_ReadsLifetimes_AndNeverPrintsTheTokens()
    {
        var sut = Read<QboTokenResponse>("token-response.json");

        sut.TokenType.ShouldBe("bearer");
        sut.ExpiresIn.ShouldBe(3600);
        sut.RefreshTokenExpiresIn.ShouldBe(8726400);
        sut.ToString().ShouldNotContain(sut.AccessToken);
        sut.ToString().ShouldNotContain(sut.RefreshToken);
    }

    [Fact]
    public void WebhookNotification_ReadsRealmAndEntities()
    {
        var sut = Read<QboWebhookNotification>("webhook-legacy-signed.json");

        var notification = sut.EventNotifications.ShouldHaveSingleItem();
        notification.RealmId.ShouldNotBeNullOrEmpty();
        notification.DataChangeEvent.Entities.ShouldNotBeEmpty();
    }

    [Fact]
    public void EverySampleFile_IsCoveredByATestAbove()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Core", "QuickBooks", "Samples"), "*.json").Select(Path.GetFileName).Order().ToList();

        files.ShouldBe([
            "account.json", "batch-response.json", "cdc-response.json", "companyinfo.json", "customer.json", "fault-validation-duplicate-name.json",
            "invoice.json", "payment.json", "query-response-customer.json", "query-response-item.json", "token-response.json", "webhook-legacy-signed.json",
        ]);
    }
}
