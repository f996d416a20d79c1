"""Every sentence the workshop screen shows, in Japanese and English.

One table, key → (ja, en), with `{named}` arguments, shaped like the message
catalogue issue 11 is building (kouiki/messages.py) so that it can move there
whole. What-if refusals are not here: they are the library's own words
(UsageError / InputError), shown as they are.
"""

from __future__ import annotations

LANGS = ("ja", "en")

WORDS: dict[str, tuple[str, str]] = {
    "title": ("広域連携ワークショップ — {instance}", "Wide-area cooperation workshop — {instance}"),
    "switch_lang": ("English", "日本語"),
    "read_only": ("閲覧のみ：条件を変えるには開始時に表示されたURL（トークン付き）で開いてください。",
                  "Read-only: open the URL printed at start (with its token) to change the what-ifs."),
    # the what-ifs panel
    "whatifs": ("条件（もしも）", "What-ifs"),
    "whatifs_now": ("この案の条件", "What-ifs of this scenario"),
    "no_whatifs": ("条件なし（基本の設定）", "none (the base settings)"),
    "drop": ("外す", "drop"),
    "add": ("追加して解く", "add and solve"),
    "apply": ("設定して解く", "set and solve"),
    "burden_cap": ("中心団体の負担上限（円/年、例: 1億、5000万）", "Hub burden cap (yen/yr, e.g. 1億, 5000万)"),
    "exclude": ("参加しない市町村", "Municipality that stays out"),
    "require": ("必ず参加（事務と市町村）", "Must take part (task and municipality)"),
    "force": ("事務をこの手法で必ず連携（中心団体は任意）", "Task must use this method (hub optional)"),
    "forbid": ("事務にこの手法を使わない", "Task may not use this method"),
    "forbid_method": ("この手法をどこにも使わない", "No arrangement uses this method"),
    "fee_ratio": ("手法ごとの負担割合（0〜1）", "Fee ratio of a method (0–1)"),
    "keep_current": ("現在の連携を維持する", "Keep the arrangements in force"),
    "merge": ("合併（A＋B＝新しい名前は任意）", "Merger (A + B = optional new name)"),
    "max_arrangements": ("連携の数の上限", "At most this many arrangements"),
    "n_options": ("案の数（異なる案をいくつ示すか）", "Number of options (distinct plans)"),
    "any_hub": ("（中心団体を問わない）", "(any hub)"),
    "whatif_source": ("画面の条件{n}", "screen what-if {n}"),
    # the plan
    "status_pending": ("順番待ち…", "Waiting to be solved…"),
    "status_running": ("計算中… このまま待つと結果が表示されます", "Solving… the plan appears here when ready"),
    "status_solved": ("解けました", "Solved"),
    "status_infeasible": ("この条件では案がありません", "No plan satisfies these what-ifs"),
    "status_cancelled": ("中止しました", "Cancelled"),
    "status_failed": ("計算できませんでした", "Could not be solved"),
    "cancel": ("計算を中止", "Cancel the solve"),
    "plan": ("連携の案", "The plan"),
    "option": ("案{n}", "Option {n}"),
    "option_of": ("表示する案", "Option shown"),
    "status_quo": ("現状（現在の連携）", "Status quo (in force today)"),
    "side_by_side": ("現状と案を並べて", "Status quo and plan side by side"),
    "task": ("事務", "Task"),
    "method": ("連携手法", "Method"),
    "hub": ("中心団体", "Hub"),
    "members": ("参加団体", "Members"),
    "savings": ("節減額/年", "Savings/yr"),
    "no_arrangement": ("連携なし：どの市町村もすべての事務を単独で行う", "No arrangement: every municipality does every task alone"),
    "total": ("節減額の合計", "Total savings"),
    "per_year": ("年 {money}", "{money} a year"),
    "against_status_quo": ("現状との差", "Against the status quo"),
    "arrangements_count": ("連携の数", "Arrangements"),
    "burdens": ("中心団体の純負担と上限", "Hubs' net burden against the cap"),
    "cap": ("上限", "cap"),
    "over_cap": ("上限超過", "over the cap"),
    "municipality_savings": ("市町村ごとの節減額/年", "Each municipality's saving/yr"),
    "matrix": ("参加の表（事務 × 市町村、★ は中心団体）", "Participation (tasks × municipalities, ★ the hub)"),
    "alone": ("単独", "alone"),
    "conflict": ("次の条件どうしがぶつかっています（どれか一つを外すと解消します）:", "These conflict (drop any one of the what-ifs named and the conflict goes away):"),
    "said": ("適用した条件", "What-ifs applied"),
    "gap": ("ギャップ {gap}", "gap {gap}"),
    "time_limit": ("時間切れ（最善とは限りません）", "stopped by the time limit (may not be the best)"),
    # history and comparison
    "history": ("試した案の履歴", "Scenarios tried"),
    "open": ("開く", "open"),
    "rename": ("名前を変える", "rename"),
    "compare": ("選んだ案を比べる", "Compare the selected"),
    "compare_title": ("案の比較", "Scenarios compared"),
    "compare_need_two": ("比べる案を二つ以上選んでください。", "Select two or more scenarios to compare."),
    "download": ("報告一式（zip）", "Report folder (zip)"),
    "back": ("戻る", "back"),
    "scenario": ("案", "Scenario"),
    "max_burden": ("最大の純負担", "Largest net burden"),
    "joins": ("参加する事務の数", "Tasks shared"),
    "not_ready": ("{name} はまだ結果がありません。", "{name} has no result yet."),
    # refusals of requests (HTTP 4xx), not of the user's data
    "bad_request": ("要求を受け付けられません: {reason}", "Request refused: {reason}"),
    "bad_field": ("項目「{field}」の値が正しくありません", "the field '{field}' has a value that cannot be used"),
    "missing_field": ("項目「{field}」がありません", "the field '{field}' is missing"),
    "too_long": ("項目「{field}」が長すぎます（{limit} 文字まで）", "the field '{field}' is too long (at most {limit} characters)"),
    "unknown_kind": ("条件の種類「{kind}」はありません", "there is no what-if '{kind}'"),
    "no_scenario": ("案 {id} はありません", "there is no scenario {id}"),
    "forbidden": ("この画面は閲覧のみです（トークンがありません）", "this screen is read-only (no token)"),
    "wrong_origin": ("ほかのサイトからの送信は受け付けません", "a form sent from another site is refused"),
    "queue_full": ("順番待ちの案が多すぎます。いまの計算が終わるか、中止してからもう一度どうぞ。",
                   "Too many scenarios are waiting; let the current solve finish or cancel it, then try again."),
    "history_full": ("履歴が上限（{limit} 案）に達しました。サーバーを起動し直してください。",
                     "The history is full ({limit} scenarios); restart the server."),
    "not_found": ("ページがありません", "No such page"),
    "internal": ("内部エラーが起きました。サーバーの画面に詳細があります。", "An internal error happened; the server's terminal has the details."),
    "money_unit": ("「{text}」は金額として読めません（例: 1億、5000万、120000000）",
                   "'{text}' cannot be read as an amount (e.g. 1億, 5000万, 120000000)"),
    # the terminal that starts the screen
    "missing_extra": ("allocate serve には追加の部品が必要です（{missing} がありません）。"
                      "次のコマンドで入れてください: pip install \"kouiki[serve]\"（ソースからは pip install \".[serve]\"）",
                      "allocate serve needs the serve extra ({missing} is missing). "
                      "Install it with: pip install \"kouiki[serve]\" (from a source folder: pip install \".[serve]\")"),
    "serving": ("ワークショップ画面を開きました: {url}\n（Ctrl-C で終了します）",
                "The workshop screen is at {url}\n(Ctrl-C stops it)"),
    "token_note": ("ほかの端末からはこのURL（トークン付き）で開くと条件を変えられます。トークンのない人は閲覧のみです。",
                   "From other machines, this URL (with its token) can change the what-ifs; without the token the page is read-only."),
    "port_busy": ("ポート {port} は使えません（{reason}）。--port でほかの番号を指定してください。",
                  "Port {port} cannot be used ({reason}); choose another with --port."),
    "stopped": ("ワークショップ画面を終了しました。", "The workshop screen has stopped."),
}


def word(key: str, lang: str = "ja", **values) -> str:
    ja, en = WORDS[key]
    return (ja if lang == "ja" else en).format(**values)


def man_yen(value: float, lang: str = "ja") -> str:
    """Money as the room reads it: 億 and 万 (1億2,345万円), with a sign when negative."""
    sign = "-" if value < 0 else ""
    man = round(abs(value) / 1e4)
    oku, rest = divmod(man, 10_000)
    if oku and rest:
        text = f"{oku:,}億{rest:,}万円"
    elif oku:
        text = f"{oku:,}億円"
    else:
        text = f"{rest:,}万円"
    return sign + text
