using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuickBooksChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Drift",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DriftFields",
                table: "SyncRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DriftFoundAt",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "QboFields",
                table: "SyncRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "QboHash",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ChangesCheckedUpTo",
                table: "QuickBooksConnections",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "QuickBooksWebhookEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Entity = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    EntityId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DeletedId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuickBooksWebhookEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_RealmId_EntityType_QboId",
                table: "SyncRecords",
                columns: new[] { "RealmId", "EntityType", "QboId" });

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksWebhookEvents_RealmId_ProcessedAt",
                table: "QuickBooksWebhookEvents",
                columns: new[] { "RealmId", "ProcessedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksWebhookEvents_RealmId_Source_EventId",
                table: "QuickBooksWebhookEvents",
                columns: new[] { "RealmId", "Source", "EventId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksWebhookEvents_ReceivedAt",
                table: "QuickBooksWebhookEvents",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuickBooksWebhookEvents");

            migrationBuilder.DropIndex(
                name: "IX_SyncRecords_RealmId_EntityType_QboId",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "Drift",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "DriftFields",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "DriftFoundAt",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "QboFields",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "QboHash",
                table: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "ChangesCheckedUpTo",
                table: "QuickBooksConnections");
        }
    }
}
