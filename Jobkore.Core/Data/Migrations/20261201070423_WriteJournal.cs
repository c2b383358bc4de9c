using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class WriteJournal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite drops an unindexed column in place; EF Core's DropColumn would rebuild the table outside the
            // migration's transaction, and warn at every first start that the database may be left half migrated.
            migrationBuilder.Sql("""ALTER TABLE "SyncRecords" DROP COLUMN "PendingRequestId";""");

            migrationBuilder.AddColumn<int>(
                name: "HeldFields",
                table: "SyncRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SyncJournal",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    IsBatch = table.Column<bool>(type: "INTEGER", nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Writes = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncJournal", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncJournal_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncJournal_BusinessId_RealmId",
                table: "SyncJournal",
                columns: new[] { "BusinessId", "RealmId" });

            // Batches still unanswered become journal entries, resent unchanged (their members read as journaled writes).
            // A single write in doubt kept only its requestid, not its body: it is planned afresh, and the look-ups by
            // name and number link what the lost answer had created.
            migrationBuilder.Sql("""
                INSERT INTO "SyncJournal" ("BusinessId", "RealmId", "RequestId", "IsBatch", "Body", "Writes", "CreatedAt")
                SELECT "BusinessId", "RealmId", "RequestId", 1, "Payload", "Members", "CreatedAt" FROM "SyncBatches" ORDER BY "Id";
                """);

            migrationBuilder.DropTable(
                name: "SyncBatches");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncJournal");

            migrationBuilder.DropColumn(
                name: "HeldFields",
                table: "SyncRecords");

            migrationBuilder.AddColumn<string>(
                name: "PendingRequestId",
                table: "SyncRecords",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SyncBatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Members = table.Column<string>(type: "TEXT", nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false)
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

            migrationBuilder.CreateIndex(
                name: "IX_SyncBatches_BusinessId_RealmId",
                table: "SyncBatches",
                columns: new[] { "BusinessId", "RealmId" });
        }
    }
}
