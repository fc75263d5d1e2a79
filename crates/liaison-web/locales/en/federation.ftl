# The federation screens: the peers and the sync with each, and the disclosure ledger.
peers-title = Peers
peers-lead = The members this node exchanges with, and how the last exchanges went. An error stays shown until a sync succeeds; an alarm until an operator resolves it.
peers-none = No peers: this node exchanges with no one. A peer is added with the command liaison peer add.
peers-caption = Peers and the sync with each
peers-troubles = Needs attention
peers-trouble-sync = { $count ->
    [0] { $member }: the last sync failed.
    [one] { $member }: the last sync failed.
   *[other] { $member }: the sync is failing ({ $n } failed in a row).
}
peers-trouble-alarm = { $count ->
    [one] { $member }: an alarm was raised against its ledger.
   *[other] { $member }: { $n } alarms were raised against its ledger.
}
peers-col-member = Member
peers-col-url = Address
peers-col-fingerprint = Key fingerprint
peers-col-added = Added
peers-col-last-attempt = Last attempt
peers-col-last-success = Last success
peers-col-last-error = Last error
peers-col-failures = Failures in a row
peers-col-received = Received
peers-col-backlog = Backlog
peers-col-alarms = Alarms
peers-never = never
peers-unknown = unknown
peers-removed = removed
peers-error = error
peers-ok = OK
ledger-title = Disclosure ledger
ledger-lead = Every release, receipt, change of agreement or peer and every alarm is an entry of this append-only log. Its signed checkpoints are cosigned by peers acting as witnesses, so a rewritten history would be seen.
ledger-head-title = The log now
ledger-size = Entries
ledger-root = Root hash
ledger-checkpoint-title = Latest signed checkpoint
ledger-checkpoint-hint = The note as peers receive it, with the witnesses' cosignature lines.
ledger-checkpoint-none = No checkpoint has been signed yet.
ledger-cosignatures-title = Witnesses of the checkpoint of size { $size }
ledger-cosignatures-caption = Witnesses' cosignatures
ledger-cosignatures-none = No witness has cosigned this checkpoint yet.
ledger-col-witness = Witness
ledger-col-cosigned-at = Cosigned
ledger-checkpoints-title = Checkpoints
ledger-checkpoints-hint = The latest { $shown } checkpoints, newest first; one is signed at every write.
ledger-col-size = Size
ledger-col-signed-at = Signed
ledger-alarms-title = Alarms
ledger-alarms-none = No alarm
ledger-col-peer = Member
ledger-col-alarm-kind = Kind
ledger-col-detail = Detail
ledger-col-at = When
ledger-entries-title = Latest entries
ledger-entries-none = The log is empty.
ledger-col-index = Index
ledger-col-kind = Kind
ledger-col-concerns = Concerns
ledger-col-summary = Summary
ledger-entry-damaged = Damaged: this entry does not decode (run liaison audit verify)
ledger-kind-incident_recorded = incident recorded
ledger-kind-disclosed = disclosure
ledger-kind-received = received
ledger-kind-receipt_issued = receipt issued
ledger-kind-receipt_received = receipt received
ledger-kind-recall_issued = recall
ledger-kind-attestation_received = attestation received
ledger-kind-agreement_changed = agreement changed
ledger-kind-reads = reads
ledger-kind-peer_changed = peer changed
ledger-kind-key_rotated = key rotated
ledger-kind-cosigned = cosignature
ledger-kind-alarm = alarm
ledger-change-created = created
ledger-change-changed = changed
ledger-change-revoked = revoked
ledger-change-added = added
ledger-change-removed = removed
ledger-entry-incident_recorded = { $incident_id } version { $version } recorded by { $by } (originator { $originator }), content { $content_sha256 }
ledger-entry-disclosed = { $incident_id } version { $version } ({ $originator }) disclosed to { $recipient } under { $under }; obligations: { $applied }; object { $object_sha256 }
ledger-entry-received = { $incident_id } version { $version } ({ $originator }) received from { $from_peer }, object { $object_sha256 }
ledger-entry-receipt_issued = { $count ->
    [one] Receipt issued to { $to } for one object from index { $first_index }, receipt { $receipt_sha256 }
   *[other] Receipt issued to { $to } for { $count } objects from index { $first_index }, receipt { $receipt_sha256 }
}
ledger-entry-receipt_received = { $count ->
    [one] Receipt received from { $from } for one object, receipt { $receipt_sha256 }
   *[other] Receipt received from { $from } for { $count } objects, receipt { $receipt_sha256 }
}
ledger-entry-recall_issued = { $incident_id } recalled at version { $version } by { $by }
ledger-entry-attestation_received = { $from } attests it hid { $incident_id } version { $version }, attestation { $attestation_sha256 }
ledger-entry-agreement_changed = Agreement { $agreement } version { $version } { $change } by { $by }; recipients: { $recipients }
ledger-entry-reads = { $user } read { $incident_ids }
ledger-entry-peer_changed = Peer { $member } { $change } by { $by }, key { $fingerprint }
ledger-entry-key_rotated = Node key rotated from { $old_fingerprint } to { $new_fingerprint }
ledger-entry-cosigned = Cosigned the checkpoint of { $peer } at size { $size }, root { $root }
ledger-entry-alarm = Alarm about { $peer }: { $kind }, { $detail }
ledger-kind-characterised = characterisation
ledger-entry-characterised = { $member } read incident { $incident_id } as { $category } (its reading v{ $version }), recorded by { $by }
ledger-kind-fused = fusion
ledger-entry-fused = { $members } reports fused into { $fusion_id } ({ $claims }); agreed version v1 { $agreed_sha256 }, by { $by }
ledger-kind-fusion_signed = sign-off
ledger-entry-fusion_signed = { $member } signed agreed version v{ $version } of { $fusion_id } ({ $agreed_sha256 }), by { $by }
ledger-kind-fusion_split = split
ledger-entry-fusion_split = { $fusion_id } split: { $claims } left; parts { $parts }, by { $by }
ledger-kind-zone_recorded = zone
ledger-entry-zone_recorded = Zone { $zone_id } recorded (v{ $version }, { $feature_sha256 }), by { $by }
ledger-kind-operation_recorded = operation
ledger-entry-operation_recorded = Operation { $operation_id } of { $member } recorded (v{ $version }, { $status }, { $doc_sha256 }), by { $by }
ledger-kind-force_recorded = forces
ledger-entry-force_recorded = Forces of { $member } as of { $as_of } recorded ({ $force_id }, { $doc_sha256 }), by { $by }
ledger-kind-sector_recorded = sector
ledger-entry-sector_recorded = Patrol sector { $sector_id } recorded (v{ $version }, { $doc_sha256 }), by { $by }
ledger-kind-alert_step = alert
ledger-entry-alert_step = Alert #{ $alert_id } on { $incident_id } ({ $member }): { $state }, by { $by }
