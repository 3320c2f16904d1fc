{{/* Names, labels and the per-service building blocks shared by every template. */}}

{{- define "aisec.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aisec.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The four services, in start-up order of dependencies (audit first is not required: emitters retry). */}}
{{- define "aisec.serviceNames" -}}
validator guard vault audit
{{- end -}}

{{- define "aisec.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object of the release. */}}
{{- define "aisec.labels" -}}
helm.sh/chart: {{ include "aisec.chart" . }}
app.kubernetes.io/name: {{ include "aisec.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aisec
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of the whole suite (NetworkPolicy: "pods of this release"). */}}
{{- define "aisec.suiteSelectorLabels" -}}
app.kubernetes.io/name: {{ include "aisec.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Context for per-service templates: dict "root" $ "svc" "<name>". */}}
{{- define "aisec.componentName" -}}
{{- printf "%s-%s" (include "aisec.fullname" .root) .svc | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aisec.componentSelectorLabels" -}}
{{ include "aisec.suiteSelectorLabels" .root }}
app.kubernetes.io/component: {{ .svc }}
{{- end -}}

{{- define "aisec.componentLabels" -}}
{{ include "aisec.labels" .root }}
app.kubernetes.io/component: {{ .svc }}
{{- end -}}

{{- define "aisec.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aisec.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "aisec.image" -}}
{{- $values := index .root.Values .svc -}}
{{- $tag := $values.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) $values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" $values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* "true" when the service keeps state on a volume and runs as a StatefulSet. */}}
{{- define "aisec.isStateful" -}}
{{- $values := index .root.Values .svc -}}
{{- if eq .svc "audit" -}}
{{- ternary "true" "" (eq $values.store "sqlite") -}}
{{- else if eq .svc "vault" -}}
{{- ternary "" "true" (and (eq $values.store "s3") (eq $values.keyProvider "aws_kms")) -}}
{{- end -}}
{{- end -}}

{{/* Services that send audit events. */}}
{{- define "aisec.emitsAudit" -}}
{{- $root := .root -}}
{{- if and (ne .svc "audit") $root.Values.audit.enabled $root.Values.auditDelivery.enabled (or (not $root.Values.auth.enabled) $root.Values.auditDelivery.tokenSecret.name) -}}
true
{{- end -}}
{{- end -}}

{{- define "aisec.jwtSecretName" -}}
{{- if eq .Values.auth.mode "jwks" -}}
{{- .Values.auth.jwks.existingSecret | default (printf "%s-jwt" (include "aisec.fullname" .)) -}}
{{- else -}}
{{- .Values.auth.hs256.existingSecret | default (printf "%s-jwt" (include "aisec.fullname" .)) -}}
{{- end -}}
{{- end -}}

{{- define "aisec.jwtSecretKey" -}}
{{- if eq .Values.auth.mode "jwks" -}}{{ .Values.auth.jwks.secretKey }}{{- else -}}{{ .Values.auth.hs256.secretKey }}{{- end -}}
{{- end -}}

{{- define "aisec.hashSecretName" -}}
{{- .Values.hashing.existingSecret | default (printf "%s-hash-key" (include "aisec.fullname" .)) -}}
{{- end -}}

{{- define "aisec.guardKeysSecretName" -}}
{{- .Values.guard.operatorKeys.existingSecret | default (printf "%s-guard-keys" (include "aisec.fullname" .)) -}}
{{- end -}}

{{- define "aisec.vaultMasterKeySecretName" -}}
{{- .Values.vault.masterKey.existingSecret | default (printf "%s-vault-master-key" (include "aisec.fullname" .)) -}}
{{- end -}}

{{- define "aisec.policyConfigMapName" -}}
{{- $values := index .root.Values .svc -}}
{{- $values.policy.existingConfigMap | default (printf "%s-policy" (include "aisec.componentName" .)) -}}
{{- end -}}

{{/*
Reuse a value of an existing Secret on upgrade (lookup is empty in `helm template`), else generate.
dict "root" $ "name" <secret> "key" <data key> "generated" <plain value>; prints the base64 value.
*/}}
{{- define "aisec.persistentSecretValue" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .name -}}
{{- $current := dig "data" .key "" ($existing | default dict) -}}
{{- if $current -}}
{{- $current -}}
{{- else if .generatedBase64 -}}
{{- .generatedBase64 -}}
{{- else -}}
{{- .generated | b64enc -}}
{{- end -}}
{{- end -}}

{{/* "true" when validator/guard get a policy file (a ConfigMap from content or an existing one). */}}
{{- define "aisec.hasPolicy" -}}
{{- $values := index .root.Values .svc -}}
{{- if and (has .svc (list "validator" "guard")) (or $values.policy.existingConfigMap $values.policy.content) -}}
true
{{- end -}}
{{- end -}}

{{/* The port of an URL ("" when there is none): explicit, or 443 / 80 from an https / http scheme. */}}
{{- define "aisec.urlPort" -}}
{{- if . -}}
{{- $url := urlParse . -}}
{{- $explicit := regexFind ":[0-9]+$" $url.host | trimPrefix ":" -}}
{{- if $explicit -}}{{ $explicit }}
{{- else if eq $url.scheme "https" -}}443
{{- else if eq $url.scheme "http" -}}80
{{- else if hasPrefix "redis" $url.scheme -}}6379
{{- end -}}
{{- end -}}
{{- end -}}

{{/* One egress rule as a YAML list item: dict "peers" LIST "ports" LIST "protocols" LIST. No peers = any
address. Ports are deduplicated as ints (values arrive as floats, URL ports as strings). */}}
{{- define "aisec.egressRule" -}}
{{- $ports := list -}}
{{- range .ports }}{{ $ports = append $ports (int .) }}{{ end -}}
- {{- with .peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
  {{- range $port := uniq $ports }}
  {{- range $protocol := $.protocols }}
    - port: {{ int $port }}
      protocol: {{ $protocol }}
  {{- end }}
  {{- end }}
{{- end -}}

{{/* Egress rules of one service (YAML list; context: dict "root" $ "svc" NAME): DNS, the audit pods when the
service delivers audit events, and Redis / PostgreSQL / AWS only when its settings use them. */}}
{{- define "aisec.egressRules" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $egress := $v.networkPolicy.egress -}}
{{- $values := index $v .svc -}}
{{- include "aisec.egressRule" (dict "peers" $egress.dnsPeers "ports" (list 53) "protocols" (list "UDP" "TCP")) }}
{{- if include "aisec.emitsAudit" . }}
- to:
    - podSelector:
        matchLabels:
          {{- include "aisec.componentSelectorLabels" (dict "root" $root "svc" "audit") | nindent 10 }}
  ports:
    - port: {{ $v.audit.ports.grpc }}
      protocol: TCP
{{- end }}
{{- $redis := and $v.rateLimit.enabled (eq $v.rateLimit.backend "redis") -}}
{{- if eq .svc "guard" -}}
{{- $redis = or $redis (eq (include "aisec.canaryStore" $root) "redis") -}}
{{- end -}}
{{- if $redis }}
{{- $ports := $egress.redisPorts -}}
{{- with include "aisec.urlPort" $v.rateLimit.redisUrl }}{{ $ports = append $ports . }}{{ end }}
{{ include "aisec.egressRule" (dict "peers" $egress.redisPeers "ports" $ports "protocols" (list "TCP")) }}
{{- end }}
{{- if and (eq .svc "audit") (eq $values.store "postgres") }}
{{ include "aisec.egressRule" (dict "peers" $egress.postgresPeers "ports" $egress.postgresPorts "protocols" (list "TCP")) }}
{{- end }}
{{- if and (eq .svc "vault") (or (eq $values.store "s3") (eq $values.keyProvider "aws_kms")) }}
{{- $ports := $egress.awsPorts -}}
{{- range $url := list $values.s3.endpointUrl $values.kms.endpointUrl }}
{{- with include "aisec.urlPort" $url }}{{ $ports = append $ports . }}{{ end }}
{{- end }}
{{ include "aisec.egressRule" (dict "peers" $egress.awsPeers "ports" $ports "protocols" (list "TCP")) }}
{{- end }}
{{- with $egress.extraRules }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Where guard keeps canary registrations: guard.canaryStore, else `redis` when rate limits use Redis. */}}
{{- define "aisec.canaryStore" -}}
{{- .Values.guard.canaryStore | default (ternary "redis" "memory" (eq .Values.rateLimit.backend "redis")) -}}
{{- end -}}
