using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Failed",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "LastAttemptAt",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastError",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastErrorCode",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastIntuitTid",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastSyncedAt",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingRequestId",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PushedHash",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Warning",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LastAutoSyncOn",
                table: "QuickBooksSettings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SyncHash",
                table: "Payments",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SyncHash",
                table: "Invoices",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SyncHash",
                table: "Clients",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SyncHash",
                table: "CatalogItems",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SyncAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    EntityType = table.Column<int>(type: "INTEGER", nullable: false),
                    EntityId = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    QboId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    IntuitTid = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncAttempts_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncBatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    Members = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncBatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncBatches_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncLeases",
                columns: table => new
                {
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncLeases", x => x.BusinessId);
                    table.ForeignKey(
                        name: "FK_SyncLeases_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncAttempts_BusinessId_EntityType_EntityId_At",
                table: "SyncAttempts",
                columns: new[] { "BusinessId", "EntityType", "EntityId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncBatches_BusinessId_RealmId",
                table: "SyncBatches",
                columns: new[] { "BusinessId", "RealmId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncAttempts");

            migrationBuilder.DropTable(
                name: "SyncBatches");

            migrationBuilder.DropTable(
                name: "SyncLeases");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "Failed",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "LastError",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "LastErrorCode",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "LastIntuitTid",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "LastSyncedAt",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "PendingRequestId",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "PushedHash",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "Warning",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "LastAutoSyncOn",
                table: "QuickBooksSettings");

            migrationBuilder.DropColumn(
                name: "SyncHash",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "SyncHash",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "SyncHash",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "SyncHash",
                table: "CatalogItems");
        }
    }
}
