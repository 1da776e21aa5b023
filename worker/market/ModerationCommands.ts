/**
 * The organiser's moderation and teams: rename or remove a player, the name rules, the
 * teams in the lobby. Like MarketCommands: engine call, one SQLite transaction, then the
 * sockets. Nothing awaits before the write.
 */
import type { ModerationSettings, PlayerSummary, ServerMessage, TeamsConfig } from "../shared/protocol";
import { CloseCode } from "../shared/protocol";
import { ok, type Result } from "../shared/result";
import {
  blockName,
  moderationOf,
  removePlayer,
  renamePlayer,
  refreshRanks,
  setModeration,
  setTeams,
  type MarketState,
} from "./engine";
import { playerSummaries } from "./exports";
import type { CommandDeps } from "./MarketCommands";
import { marketInfoOf } from "./views";
import type { MarketInfo } from "../shared/protocol";

/** Why a removed player's sockets close (they see it, and do not reconnect as that player). */
export const REMOVED_REASON = "The organiser removed you from this market.";

export class ModerationCommands {
  constructor(private readonly deps: Omit<CommandDeps, "waitUntil" | "statusChanged">) {}

  moderation(state: MarketState): ModerationSettings {
    return moderationOf(state);
  }

  setModeration(state: MarketState, settings: ModerationSettings): Result<{ moderation: ModerationSettings }> {
    const moderation = setModeration(state, settings);
    this.deps.memory.commit(() => this.deps.memory.store.saveSettings(state));
    return ok({ moderation });
  }

  async rename(state: MarketState, playerId: string, name: string): Promise<Result<{ player: PlayerSummary }>> {
    const result = renamePlayer(state, playerId, name);
    if (!result.ok) return result;
    if (result.changed) {
      this.deps.memory.commit(() => this.deps.memory.store.renamePlayer(result.player));
      this.deps.feed.sendToPlayer(playerId, { type: "renamed", name: result.player.name } satisfies ServerMessage);
      await this.rosterChanged(state);
    }
    return ok({ player: summaryOf(state, playerId) });
  }

  /**
   * Removes a player: open orders cancelled (what they held goes back to the player's
   * cash), out of the players and the standings; with `block`, their name (and every
   * look-alike) cannot join again. Their sockets are told and closed with 4010.
   */
  async remove(
    state: MarketState,
    playerId: string,
    block: boolean,
  ): Promise<Result<{ removed: { id: string; name: string }; cancelledOrders: number; blocked: boolean }>> {
    const now = this.deps.clock.now();
    const result = removePlayer(state, playerId, now);
    if (!result.ok) return result;
    if (block) blockName(state, result.player.name);
    const { store, history } = this.deps.memory;
    this.deps.memory.commit(() => {
      for (const o of result.cancelled) store.saveOrder(o);
      store.savePlayer(result.player);
      store.removePlayer(result.player, now);
      if (block) store.saveSettings(state);
      for (const o of result.cancelled) history.orderChanged(state, o);
    });
    this.deps.feed.closePlayer(
      playerId,
      { type: "error", code: "REMOVED", message: REMOVED_REASON } satisfies ServerMessage,
      CloseCode.removed,
      REMOVED_REASON,
    );
    await this.rosterChanged(state);
    return ok({
      removed: { id: playerId, name: result.player.name },
      cancelledOrders: result.cancelled.length,
      blocked: block,
    });
  }

  async setTeams(state: MarketState, teams: TeamsConfig | null): Promise<Result<{ market: MarketInfo }>> {
    const result = setTeams(state, teams);
    if (!result.ok) return result;
    refreshRanks(state);
    const { store } = this.deps.memory;
    this.deps.memory.commit(() => {
      store.saveSettings(state);
      for (const p of result.assigned) store.savePlayer(p);
    });
    await this.rosterChanged(state);
    return ok({ market: marketInfoOf(state, true) });
  }

  /**
   * The standings the room sees changed outside a tick. While open, the next tick carries
   * them; in the lobby (no ticks) the roster goes out by the next alarm. The cached
   * snapshot is dropped either way, so no read serves the old names.
   */
  private async rosterChanged(state: MarketState): Promise<void> {
    if (state.status === "lobby") {
      this.deps.feed.rosterStale = true;
      await this.deps.wakeups.arm();
    }
    if (this.deps.snapshotCache) await this.deps.snapshotCache.drop(state.code);
  }
}

function summaryOf(state: MarketState, playerId: string): PlayerSummary {
  return playerSummaries(state).find((p) => p.id === playerId)!;
}
