using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class PaidInvoice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "PaidInvoiceId",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: true);

            // The payments Jobkore still has: each record names the invoice its payment pays (EntityType 3 is Payment).
            migrationBuilder.Sql("""
                UPDATE "SyncRecords" SET "PaidInvoiceId" = (SELECT p."InvoiceId" FROM "Payments" p WHERE p."Id" = "SyncRecords"."EntityId")
                WHERE "EntityType" = 3
                """);

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_BusinessId_RealmId_EntityType_PaidInvoiceId",
                table: "SyncRecords",
                columns: new[] { "BusinessId", "RealmId", "EntityType", "PaidInvoiceId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SyncRecords_BusinessId_RealmId_EntityType_PaidInvoiceId",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "PaidInvoiceId",
                table: "SyncRecords");
        }
    }
}
