{{/*
Volumes and mounts of one service. Secrets and ConfigMaps are mounted as directories (never subPath)
so that kubelet updates them in place: policy edits hot-reload, rotated certificates are picked up.
Context: dict "root" $ "svc" "<name>".
*/}}
{{- define "aisec.volumeMounts" -}}
{{- $v := .root.Values -}}
{{- $values := index $v .svc -}}
- name: tmp
  mountPath: /tmp
- name: state
  mountPath: /var/lib/aisec
- name: config
  mountPath: /etc/aisec/config
  readOnly: true
{{- if $v.auth.enabled }}
- name: jwt
  mountPath: /etc/aisec/jwt
  readOnly: true
{{- end }}
{{- if $v.tls.enabled }}
- name: tls
  mountPath: /etc/aisec/tls
  readOnly: true
{{- end }}
{{- if ne .svc "audit" }}
- name: hash-key
  mountPath: /etc/aisec/hash
  readOnly: true
{{- end }}
{{- if and (include "aisec.emitsAudit" .) $v.auditDelivery.tokenSecret.name }}
- name: audit-client
  mountPath: /etc/aisec/audit-client
  readOnly: true
{{- end }}
{{- if include "aisec.hasPolicy" . }}
- name: policy
  mountPath: /etc/aisec/policy
  readOnly: true
{{- end }}
{{- if eq .svc "guard" }}
- name: guard-keys
  mountPath: /etc/aisec/guard-keys
  readOnly: true
{{- end }}
{{- if and (eq .svc "vault") (eq $values.keyProvider "local") }}
- name: vault-master-key
  mountPath: /etc/aisec/vault-master-key
  readOnly: true
{{- end }}
{{- if and (has .svc (list "vault" "audit")) $values.signingKey.existingSecret }}
- name: signing-key
  mountPath: /etc/aisec/signing
  readOnly: true
{{- end }}
{{- end -}}

{{- define "aisec.volumes" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $values := index $v .svc -}}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
{{- if not (include "aisec.isStateful" .) }}
- name: state
  emptyDir:
    sizeLimit: 1Gi
{{- end }}
- name: config
  configMap:
    name: {{ include "aisec.componentName" . }}-config
{{- if $v.auth.enabled }}
- name: jwt
  secret:
    secretName: {{ include "aisec.jwtSecretName" $root }}
    defaultMode: 0440
    items:
      - key: {{ include "aisec.jwtSecretKey" $root }}
        path: {{ include "aisec.jwtSecretKey" $root }}
{{- end }}
{{- if $v.tls.enabled }}
- name: tls
  secret:
    secretName: {{ required "tls.enabled needs tls.existingSecret (kubernetes.io/tls with ca.crt)" $v.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- if ne .svc "audit" }}
- name: hash-key
  secret:
    secretName: {{ include "aisec.hashSecretName" $root }}
    defaultMode: 0440
    items:
      - key: {{ $v.hashing.secretKey }}
        path: {{ $v.hashing.secretKey }}
{{- end }}
{{- if and (include "aisec.emitsAudit" .) $v.auditDelivery.tokenSecret.name }}
- name: audit-client
  secret:
    secretName: {{ $v.auditDelivery.tokenSecret.name }}
    defaultMode: 0440
    items:
      - key: {{ $v.auditDelivery.tokenSecret.key }}
        path: {{ $v.auditDelivery.tokenSecret.key }}
{{- end }}
{{- if include "aisec.hasPolicy" . }}
- name: policy
  configMap:
    name: {{ include "aisec.policyConfigMapName" . }}
{{- end }}
{{- if eq .svc "guard" }}
- name: guard-keys
  secret:
    secretName: {{ include "aisec.guardKeysSecretName" $root }}
    defaultMode: 0440
    items:
      - key: redaction-hash.key
        path: redaction-hash.key
      - key: aes-siv.key
        path: aes-siv.key
{{- end }}
{{- if and (eq .svc "vault") (eq $values.keyProvider "local") }}
- name: vault-master-key
  secret:
    secretName: {{ include "aisec.vaultMasterKeySecretName" $root }}
    defaultMode: 0440
    items:
      - key: {{ $values.masterKey.secretKey }}
        path: {{ $values.masterKey.secretKey }}
{{- end }}
{{- if and (has .svc (list "vault" "audit")) $values.signingKey.existingSecret }}
- name: signing-key
  secret:
    secretName: {{ $values.signingKey.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ $values.signingKey.secretKey }}
        path: {{ $values.signingKey.secretKey }}
{{- end }}
{{- end -}}
